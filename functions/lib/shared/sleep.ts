// A timer as a promise. Not node:timers/promises: that module is one more of Node's own to load at
// every cold start (about 1 ms on the benchmark machine), for what one line does.

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
