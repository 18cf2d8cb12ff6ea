/**
 * The numbers the run must respect, in one place: Lambda's and CloudWatch Logs' own limits (from the AWS documentation;
 * per account and region, not raisable), and the bounds this tool sets itself on top of them. The input registry, the
 * engine, burst sizing, pacing and the clients all read them from here, so a bound and the message that states it
 * cannot drift apart.
 */

/** Lambda's memory sizes, in MB (1 MB steps). A function created without one has the minimum. */
export const MEMORY_MIN_MB = 128;
export const MEMORY_MAX_MB = 10_240;

/** Lambda's longest function timeout, in seconds: what a record's live window assumes when a function's is unknown. */
export const FUNCTION_TIMEOUT_MAX_SEC = 900;

/** Lambda's limit on all environment variables of a function together, measured as their JSON (UTF-8 bytes). */
export const ENV_LIMIT_BYTES = 4096;

/** Lambda's control-plane quota (UpdateFunctionConfiguration, GetFunctionConfiguration, GetAccountSettings …), calls/s. */
export const CONTROL_PLANE_QUOTA = 15;
/** Lambda's GetFunction quota, calls/s. */
export const GET_FUNCTION_QUOTA = 100;
/** Default control-plane calls per second of a run (input `api-rate`): two thirds of the quota, the rest for others. */
export const CONTROL_RATE = 10;
/** GetFunction calls per second of a run: half the quota, so deploys and consoles polling the same account keep room. */
export const POLL_RATE = GET_FUNCTION_QUOTA / 2;

/** Log groups one Logs Insights StartQuery may name. */
export const MAX_LOG_GROUPS_PER_QUERY = 50;

/** The most concurrent invokes one burst sends (input `burst-size`, and its default from `repetitions`). */
export const MAX_BURST_SIZE = 50;
/** The most functions measured at once (input `concurrency`). */
export const MAX_CONCURRENCY = 50;
/** The most cold starts asked per function and memory size (input `repetitions`). */
export const MAX_REPETITIONS = 1000;

/** The default wait for one configuration update (input `update-timeout`), and the one assumed for another run's. */
export const DEFAULT_UPDATE_TIMEOUT_SEC = 300;

/** Runs kept in history.json (input `history-limit`): the default, and the most, which keeps the file well under GitHub's limits. */
export const DEFAULT_HISTORY_LIMIT = 500;
export const HISTORY_LIMIT_MAX = 10_000;

/**
 * The largest results file read (results.json or speed.csv): `report` and `compare` inputs, a `baseline` file or
 * artifact, a shard to merge. results.json takes about 530 bytes a sample (64-character names), speed.csv about 230, so
 * this holds about 240,000 samples: 1000 cold starts (the most `repetitions` allows) for each of 240 series of function ×
 * memory size, far beyond what a 6-hour job measures. Such a file parses in about 0.4 s into about 230 MB of heap.
 */
export const RESULTS_FILE_MAX_BYTES = 128_000_000;
