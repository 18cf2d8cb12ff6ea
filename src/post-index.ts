// The post entry (bundled to dist/post/index.js): only calls run(), as src/index.ts does for main.
import { run } from './post.js';

await run();
