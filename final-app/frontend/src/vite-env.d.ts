interface ImportMetaEnv {
  /** The API's stage URL baked into a build, when no /config.json is served next to the app. */
  readonly VITE_API_URL?: string;
}
