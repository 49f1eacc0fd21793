/* The browser's own validity messages in the page's language (QA fix-forms #1: Chromium's English "Please
   lengthen this text to 4 characters" showed on the Chinese desk). Every control of every form on the page gets
   a worded message from its validity state, kept current as the agent types; text only, never markup.
   Controls whose script sets its own message (data-own-validity) are left alone. */
(function () {
  "use strict";
  const zh = !/^en/i.test(document.documentElement.lang || "");
  const say = zh ? {
    valueMissing: () => "请填写此项。",
    tooShort: (el) => `请至少输入 ${el.minLength} 个字（当前 ${el.value.length} 个）。`,
    tooLong: (el) => `最多 ${el.maxLength} 个字（当前 ${el.value.length} 个）。`,
    rangeUnderflow: (el) => `不能小于 ${el.min}。`,
    rangeOverflow: (el) => `不能大于 ${el.max}。`,
    stepMismatch: () => "数值的精度不符合要求。",
    badInput: () => "请输入数字。",
    typeMismatch: () => "格式不正确。",
    patternMismatch: (el) => el.title ? `格式不正确：${el.title}` : "格式不正确。",
  } : {
    valueMissing: () => "Please fill in this field.",
    tooShort: (el) => `Use at least ${el.minLength} characters (now ${el.value.length}).`,
    tooLong: (el) => `Use at most ${el.maxLength} characters (now ${el.value.length}).`,
    rangeUnderflow: (el) => `Must be at least ${el.min}.`,
    rangeOverflow: (el) => `Must be at most ${el.max}.`,
    stepMismatch: () => "This number is not precise enough for this field.",
    badInput: () => "Please enter a number.",
    typeMismatch: () => "This is not in the expected format.",
    patternMismatch: (el) => el.title ? `Not in the expected format: ${el.title}` : "Not in the expected format.",
  };
  const ORDER = ["valueMissing", "badInput", "tooShort", "tooLong", "rangeUnderflow", "rangeOverflow",
                 "stepMismatch", "typeMismatch", "patternMismatch"];

  function word(el) {
    if (!el.willValidate || !el.setCustomValidity || el.hasAttribute("data-own-validity")) return;
    el.setCustomValidity("");
    const state = ORDER.find((key) => el.validity[key]);
    if (state) el.setCustomValidity(say[state](el));
  }
  function bind(root) {
    for (const el of (root || document).querySelectorAll("input, textarea, select")) word(el);
  }
  document.addEventListener("input", (event) => word(event.target), true);
  document.addEventListener("change", (event) => word(event.target), true);
  document.addEventListener("invalid", (event) => word(event.target), true);
  window.HotlineValidity = { bind: bind, word: word };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => bind(document));
  else bind(document);
})();
