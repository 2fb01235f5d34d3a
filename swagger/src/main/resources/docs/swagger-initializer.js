// One document per service, served by the same origin at /openapi/<service>.swagger.json. The
// two empty values below are placeholders: DocsAssets fills them in from the descriptor set when
// it serves this file (every service's document, the first one selected).
window.onload = function () {
  window.ui = SwaggerUIBundle({
    urls: [],
    "urls.primaryName": "",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // Keeps the bearer token (in local storage) across page reloads.
    persistAuthorization: true,
    // The default sends every document to an outside validator service: the page must work
    // offline and leak nothing.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout"
  });
};
