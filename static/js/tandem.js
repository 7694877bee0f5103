// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.id === "invitation-link") {
      target.select();
    }
  });
})();
