// The one HTTP shape the app speaks. Each vendor adapter translates its own request into ApiRequest and
// ApiResponse back into its own response: that translation is all that is tied to a cloud.

export interface ApiRequest {
  /** Upper case: GET, POST. */
  method: string;
  /** Without stage or route prefix: /groups/g1/images. */
  path: string;
  /** The raw body text; null when there is none. */
  body: string | null;
}

export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  /** JSON text. */
  body: string;
}

export interface ImagesApi {
  handle(request: ApiRequest): Promise<ApiResponse>;
}
