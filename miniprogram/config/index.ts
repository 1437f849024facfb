import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import { routeTable } from './routes';

/**
 * One Taro config for both targets. Builds land in <repo>/dist/weapp and <repo>/dist/h5.
 *
 * LINLI_API_BASE is read at build time (default: the local API). On h5 a page may override it at
 * run time with window.__LINLI_API_BASE__ (the browser tests inject it into index.html).
 */
const API_BASE = process.env.LINLI_API_BASE ?? 'http://127.0.0.1:3000';
const CONTRACT = path.resolve(__dirname, '../../contract');

export default defineConfig<'webpack5'>(async (merge) => {
  const base: UserConfigExport<'webpack5'> = {
    projectName: 'linli',
    date: '2025-11-22',
    // Styles are written in CSS px for a 375px-wide phone; px is kept as px on both targets so
    // that the elder-mode scale (CSS variables) means the same thing everywhere.
    designWidth: 375,
    deviceRatio: { 375: 2, 640: 2.34 / 2, 750: 1, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // LINLI_OUT_DIR lets parallel builds (several engineers, CI steps) keep out of each other's way.
    outputRoot: process.env.LINLI_OUT_DIR
      ? path.join(process.env.LINLI_OUT_DIR, String(process.env.TARO_ENV))
      : `../dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {
      LINLI_API_BASE: JSON.stringify(API_BASE),
      // method and path of every route, taken from the contract at build time so that the
      // schemas (zod) stay out of the bundle; the client's types come from the same contract.
      LINLI_ROUTES: JSON.stringify(routeTable(CONTRACT)),
    },
    alias: {
      '@contract': CONTRACT,
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      optimizeMainPackage: { enable: true },
      // The contract lives outside src: compile it like our own code.
      compile: { include: [CONTRACT] },
      miniCssExtractPluginOption: { ignoreOrder: true },
      postcss: {
        pxtransform: { enable: false, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      publicPath: './',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [CONTRACT] },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        pxtransform: { enable: false, config: {} },
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  };
  return merge({}, base);
});
