// The settings Vite reads from the environment or a .env file at build time; only VITE_* reach the page.
interface ImportMetaEnv {
  /** The API's stage URL, for example https://abc123.execute-api.us-east-1.amazonaws.com/dev. */
  readonly VITE_API_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
