// XML text escaping, shared by the services that answer in XML (S3, SNS's Query protocol) and the edge.
const XML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (char) => XML_ENTITIES[char] ?? char);
}
