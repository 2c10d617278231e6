import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { registerAdvisory } from './advisory.js';
import { registerAuditVerify } from './audit-verify.js';
import { registerCalendar } from './calendar.js';
import { registerDbMigrate } from './db-migrate.js';
import { registerImage } from './image.js';
import { registerImagesSync } from './images-sync.js';
import { registerPolicy } from './policy.js';
import { registerSecuritytxtCheck } from './securitytxt-check.js';
import { registerServe } from './serve.js';
import { registerTags } from './tags.js';

/** A command file exports one of these; it adds its (sub)commands to the program. */
export type RegisterCommand = (program: Command, io: CliIo, setExit: (code: number) => void) => void;

export const commands: RegisterCommand[] = [registerServe, registerPolicy, registerSecuritytxtCheck, registerCalendar, registerTags, registerDbMigrate, registerAuditVerify, registerImagesSync, registerImage, registerAdvisory];
