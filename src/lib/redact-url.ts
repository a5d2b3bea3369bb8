// What the request log may show of a URL: never a secret. The customer's consent link carries
// its signed token in the path (/consent/{token}, /api/v1/consent/{token}/deny), and a query
// parameter named like a credential is masked too.
const consentPath = /(\/consent\/)[^/?#]+/g;
const secretParam = /([?&](?:token|access_token|secret|password|key|api_key|signature|sig|code)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(consentPath, '$1[redacted]').replace(secretParam, '$1[redacted]');
}
