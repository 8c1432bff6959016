import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/**
 * Vendor chunks that change rarely, so a release that only touches our pages keeps them cached
 * in the DingTalk/WeCom webview. The chat SDKs and ECharts are left out because only dynamic
 * imports reach them, and Rollup already gives each of them its own lazy chunk. Vant is left out too:
 * one Vant chunk would hold every component any page uses and load them all with the workbench.
 */
const vendorChunks: Record<string, RegExp> = {
  vue: /[\\/]node_modules[\\/](@vue|vue|vue-router)[\\/]/,
  zod: /[\\/]node_modules[\\/]zod[\\/]/,
};

function chooseVendorChunk(moduleId: string): string | undefined {
  for (const [chunkName, pattern] of Object.entries(vendorChunks)) {
    if (pattern.test(moduleId)) return chunkName;
  }
  return undefined;
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [vue()],
  resolve: {
    alias: { '@shared': fileURLToPath(new URL('../shared/src', import.meta.url)) },
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Older than Vite's default on purpose: DingTalk and WeCom embed their own webview kernels,
    // which lag behind current browsers. ES2020 is the floor because zod uses bigint literals.
    target: ['es2020', 'chrome87', 'safari14'],
    rollupOptions: {
      output: { manualChunks: chooseVendorChunk },
    },
  },
});
