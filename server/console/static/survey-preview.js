// The survey preview applies show-if conditions as the mini-program does: a question with a
// condition is shown only while the referenced question's answer is one of the listed values.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("survey-preview");
  if (!form) return;
  function answers(key) {
    var picked = form.querySelectorAll('input[name="' + key + '"]:checked');
    return Array.prototype.map.call(picked, function (input) { return input.value; });
  }
  function update() {
    form.querySelectorAll("[data-show-if]").forEach(function (question) {
      var rule = JSON.parse(question.getAttribute("data-show-if"));
      var wanted = rule["in"].map(String);
      var shown = answers(rule.question).some(function (v) { return wanted.indexOf(v) >= 0; });
      question.hidden = !shown;
    });
  }
  form.addEventListener("change", update);
  update();
});
