/**
 * A key as S3 writes it in event records (and in listings with `encoding-type=url`): form-URL-encoded as
 * Java's URLEncoder does it (a space is `+`; only letters, digits and `.-*_` are left alone), except that `/`
 * stays. "photos/red flower (1).jpg" becomes "photos/red+flower+%281%29.jpg".
 */
export function formEncodeKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}
