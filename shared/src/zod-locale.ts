import { z } from 'zod';

/** Switches zod's built-in messages to Simplified Chinese, because validation messages reach users. */
z.config(z.locales.zhCN());

export { z };
