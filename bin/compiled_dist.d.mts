/** Whether dist/ holds the compiled JavaScript of the current sources (compiled_dist.mjs). `root` ends in a slash. */
export function compiledDistUpToDate(root: string): boolean;
