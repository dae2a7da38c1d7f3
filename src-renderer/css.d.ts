// Components import their own stylesheets (`import './x.css'`); Vite bundles them. TypeScript checks
// side-effect imports, so it needs to know a .css file is a module.
declare module '*.css';
