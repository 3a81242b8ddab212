// Runs before the body is parsed, so a load the policy blocks is counted too.
document.addEventListener("securitypolicyviolation", function (event) {
  var root = document.documentElement;
  root.dataset.cspViolations = String(Number(root.dataset.cspViolations || 0) + 1);
  root.dataset.cspBlocked = String(event.blockedURI);
});
