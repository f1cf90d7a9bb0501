// What the API serves at /dashboard: the folder `build.mjs` fills. Resolved from this file rather than from
// the API's own location, so the API finds it wherever npm links the workspace (the repository, the image).
import { fileURLToPath } from 'node:url';

export const dashboardDir = fileURLToPath(new URL('./dist', import.meta.url));
