// Progressive enhancement of the comment forms. Without JavaScript they work as plain form
// posts; with it, each comment box shows how many characters are left, the button cannot be
// pressed twice while a comment is on its way, and opening "Reply" puts the cursor in the box.
(function () {
  "use strict";
  function enhance(form) {
    var box = form.querySelector("textarea[name=body]");
    var button = form.querySelector("button[type=submit], button:not([type])");
    if (box) {
      var max = parseInt(box.getAttribute("maxlength"), 10) || 5000;
      var counter = document.createElement("p");
      counter.className = "char-count";
      counter.setAttribute("aria-live", "polite");
      var update = function () {
        var left = max - box.value.length;
        counter.textContent = left + " characters left";
        counter.classList.toggle("low", left < 200);
      };
      box.addEventListener("input", update);
      box.parentNode.appendChild(counter);
      update();
    }
    form.addEventListener("submit", function () {
      if (button) {
        button.disabled = true;
        button.textContent = "Posting\u2026";
      }
    });
  }
  var forms = document.querySelectorAll("form.comment-form");
  for (var i = 0; i < forms.length; i++) {
    enhance(forms[i]);
  }
  var replies = document.querySelectorAll("details.reply");
  for (var j = 0; j < replies.length; j++) {
    replies[j].addEventListener("toggle", function (event) {
      var box = event.target.querySelector("textarea");
      if (event.target.open && box) {
        box.focus();
      }
    });
  }
})();
