/**
 * Where progress and problems go. The action maps it to @actions/core (annotations, collapsible groups), the CLI to its
 * progress output; the engine, the undo and the GitHub helpers all write to this one shape.
 */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  notice(message: string): void;
  /** A titled block of lines (a function's samples): collapsible on a runner. */
  group(title: string, lines: string[]): void;
  /** Detail for whoever debugs (ACTIONS_STEP_DEBUG on a runner); dropped where there is no such channel. */
  debug?(message: string): void;
}
