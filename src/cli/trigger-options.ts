import { Option } from 'commander';
import { EVENT_KINDS } from '../plan/types.js';

/** --event and --ref, the same for every command that plans (see resolve-trigger.ts for the rule). */
export const eventOption = () => new Option('--event <event>', 'the kind of push').choices(EVENT_KINDS);
export const refOption = () =>
  new Option('--ref <ref>', 'the tag or branch name (default: from git, else main)');
