import { join } from 'node:path';

/** Project root, from src/ under ts-jest and tsx, from dist/ when built: both sit one level down. */
export const PROJECT_ROOT = join(__dirname, '..');
export const OPENAPI_FILE = join(PROJECT_ROOT, 'openapi', 'tmf688-event.oas3.json');
export const ASYNCAPI_FILE = join(PROJECT_ROOT, 'asyncapi', 'tmf688-hub.asyncapi.json');
/** The console's files, served as they are: there is no build step. */
export const CONSOLE_DIR = join(PROJECT_ROOT, 'src', 'console', 'static');
