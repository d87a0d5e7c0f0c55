package web

import (
	"html/template"
	"net/http"
)

var docsPage = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kyc API reference</title>
<link rel="stylesheet" href="{{.CSS}}">
<script src="{{.Bundle}}" defer></script>
<script src="{{.Init}}" defer></script>
</head>
<body>
<div id="swagger-ui" data-spec="{{.Spec}}"></div>
<noscript>The interactive reference needs JavaScript; the OpenAPI document is at <a href="{{.Spec}}">{{.Spec}}</a>.</noscript>
</body>
</html>`))

// docsCSP lets Swagger UI run from this origin only; it sets inline styles,
// so style attributes are allowed on this page (and no inline script).
const docsCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// DocsHandler serves the interactive API reference (Swagger UI from the
// embedded assets, so it works on a network without internet access) for
// the OpenAPI document at specURL.
func DocsHandler(a *Assets, specURL string) http.Handler {
	data := struct{ CSS, Bundle, Init, Spec string }{
		CSS: a.URL("vendor/swagger-ui.css"), Bundle: a.URL("vendor/swagger-ui-bundle.js"), Init: a.URL("docs.js"), Spec: specURL,
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", docsCSP)
		w.Header().Set("X-Frame-Options", "DENY")
		_ = docsPage.Execute(w, data)
	})
}
