// Counts Content-Security-Policy violations in this page on <html data-csp-violations> (and the
// last one's directive and blocked URL on data-csp-last), so the browser tests can assert the app
// never trips its own CSP: a blocked script, style, worker or connection fails silently otherwise.
// Imported first by main.tsx, before anything that could be blocked. It only reads the events the
// browser fires anyway; nothing is sent anywhere.

const root = document.documentElement;
let count = 0;
root.dataset.cspViolations = '0';
document.addEventListener('securitypolicyviolation', (e) => {
  count++;
  root.dataset.cspViolations = String(count);
  root.dataset.cspLast = `${e.effectiveDirective} ${e.blockedURI}`;
});

export {};
