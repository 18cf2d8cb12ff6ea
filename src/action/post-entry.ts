// runs.post (bundled to dist/post/index.js): only calls run(), as index.ts does for the main step.
import { run } from './post.js';

await run();
