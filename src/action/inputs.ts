/**
 * The action's inputs as the runner passes them (INPUT_<NAME>), through @actions/core. Apart from config/, so the CLI
 * (which parses the same inputs from its flags) bundles no @actions/core.
 */
import * as core from '@actions/core';
import type { InputGetter } from '../config/inputs.js';

export const actionInputs: InputGetter = (name) => core.getInput(name);
