import { join } from 'node:path';

/** Project root, from src/ under ts-jest and tsx, from dist/ when built: both sit one level down. */
export const PROJECT_ROOT = join(__dirname, '..');
export const OPENAPI_FILE = join(PROJECT_ROOT, 'openapi', 'tmf688-event.oas3.json');
