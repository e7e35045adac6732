// Starts Swagger UI on /docs. A file rather than an inline script, so the page's
// Content-Security-Policy can stay script-src 'self'.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null, // the default sends the schema to an outside validator
  presets: [SwaggerUIBundle.presets.apis],
});
