/* Flask-Admin's templates carry a few inline handlers (onclick="return faHelpers.safeConfirm('…')",
   onclick="return modelActions.execute('…')", onclick="faForm.addInlineField(this, '…')",
   onclick="return false;") and href="javascript:void(0)". Our Content-Security-Policy runs no inline
   script, so the server renames them (data-fa-onclick, href="#" data-fa-noop: security_headers.py) and
   this file turns exactly those known shapes into listeners; an unknown handler is only dropped (it would
   not run under the policy anyway). The arguments are read as string literals, never evaluated. */
(function () {
  "use strict";
  var LITERAL = "'((?:[^'\\\\]|\\\\.)*)'";
  var SHAPES = [
    [new RegExp("^\\s*return\\s+faHelpers\\.safeConfirm\\(" + LITERAL + "\\);?\\s*$"), function (el, arg) {
      return function (e) { if (!window.confirm(arg)) { e.preventDefault(); e.stopImmediatePropagation(); } };
    }],
    [new RegExp("^\\s*return\\s+confirm\\(" + LITERAL + "\\);?\\s*$"), function (el, arg) {
      return function (e) { if (!window.confirm(arg)) { e.preventDefault(); e.stopImmediatePropagation(); } };
    }],
    [new RegExp("^\\s*return\\s+modelActions\\.execute\\(" + LITERAL + "\\);?\\s*$"), function (el, arg) {
      return function (e) { e.preventDefault(); window.modelActions.execute(arg); };
    }],
    [new RegExp("^\\s*faForm\\.addInlineField\\(this,\\s*" + LITERAL + "\\);?\\s*$"), function (el, arg) {
      return function (e) { e.preventDefault(); window.faForm.addInlineField(el, arg); };
    }],
    [/^\s*return\s+false;?\s*$/, function () {
      return function (e) { e.preventDefault(); };
    }],
  ];

  function unquote(text) { return text.replace(/\\(.)/g, "$1"); }

  function convert(el) {
    var code = el.getAttribute("data-fa-onclick");
    if (code === null) code = el.getAttribute("onclick");
    if (code !== null) {
      el.removeAttribute("data-fa-onclick");
      el.removeAttribute("onclick");
      for (var i = 0; i < SHAPES.length; i++) {
        var match = SHAPES[i][0].exec(code);
        if (match) { el.addEventListener("click", SHAPES[i][1](el, match[1] === undefined ? "" : unquote(match[1]))); break; }
      }
    }
    var href = el.getAttribute("href");
    if (el.hasAttribute("data-fa-noop") || (href !== null && /^\s*javascript:/i.test(href))) {
      el.removeAttribute("data-fa-noop");
      el.setAttribute("href", "#");
      el.addEventListener("click", function (e) { e.preventDefault(); });
    }
  }

  function sweep(root) {
    if (root.nodeType !== 1) return;
    var shapes = "[data-fa-onclick], [onclick], [data-fa-noop], a[href^='javascript:' i]";
    if (root.matches(shapes)) convert(root);
    root.querySelectorAll(shapes).forEach(convert);
  }

  sweep(document.documentElement);
  // Inline-list rows and modals are added later from templates that carry the same handlers.
  new MutationObserver(function (changes) {
    changes.forEach(function (change) { change.addedNodes.forEach(sweep); });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
