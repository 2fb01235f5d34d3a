// The four service documents, served by the same origin at /openapi/<service>.swagger.json.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    urls: [
      { name: "auth", url: "/openapi/auth.swagger.json" },
      { name: "author", url: "/openapi/author.swagger.json" },
      { name: "category", url: "/openapi/category.swagger.json" },
      { name: "book", url: "/openapi/book.swagger.json" }
    ],
    "urls.primaryName": "auth",
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
