export { buildDocsSite, type BuildDocsSiteOptions, type BuiltSite } from './build-site';
export { DocsBuildError } from './docs-build-error';
