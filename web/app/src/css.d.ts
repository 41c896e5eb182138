// esbuild bundles the stylesheet imported for its effect.
declare module '*.css';
