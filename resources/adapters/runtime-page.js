// runtime-page.js: a page's controls as a person sees and sets them
//
// The second part of the runtime (after matcher.js; the order is in
// src/engine/jsw-engine.c): open shadow roots, what a person can see (a
// honeypot is not a question), the label and the required mark a control
// shows, and setting a value, clicking and typing the way a person's hands
// would, so that frameworks accept it. JobSwipe.page holds it for the
// parts after it and, through JobSwipe.util, for the adapters.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

// The runtime's namespace in the isolated world: runtime.js adds the entry
// points the C driver calls, flow.js JobSwipe.flow.
var JobSwipe = {};

JobSwipe.page = (() => {
  const { cleanLabel, hasRequiredMark } = JobSwipeMatcher;

  // The DOM ---------------------------------------------------------------

  // Open shadow roots (SmartRecruiters, Salesforce and other web-component
  // forms) hold fields, drop zones and buttons that querySelectorAll() does
  // not reach. walk() yields the elements under @node in the order they
  // render: a host's shadow tree, then its light children.
  function* walk(node) {
    for (const child of node.children || []) {
      yield child;
      if (child.shadowRoot) yield* walk(child.shadowRoot);
      yield* walk(child);
    }
  }

  function deepAll(root, selector) {
    const found = [];
    for (const el of walk(root)) if (el.matches(selector)) found.push(el);
    return found;
  }

  // The parent, or the shadow host when @el is at the top of a shadow tree.
  function parentDeep(el) {
    if (el.parentElement) return el.parentElement;
    const root = el.getRootNode();
    return root instanceof ShadowRoot ? root.host : null;
  }

  function byId(el, id) {
    const root = el.getRootNode();
    return (root.getElementById && root.getElementById(id)) || document.getElementById(id);
  }

  // A honeypot is a field the page hides from people so that only bots
  // fill it; employers drop applications that did. A field counts as seen
  // only when it has a box of its own on the page, not off its left or top
  // edge, and neither it nor anything around it is display:none,
  // transparent, clipped away, aria-hidden or inert.
  function hasBox(el) {
    const rect = el.getBoundingClientRect();
    // A control keeps its own height, so a side near zero means it was
    // sized away, and so does a text field no larger than 14 x 14 px (WebKit
    // draws one styled to 0 x 0 at 12 x 12, for its decorations). A block
    // takes the page's width, which a narrow view can squeeze to nothing,
    // so only both sides say so.
    const isTextEntry = el.matches('select, textarea, input:not([type="checkbox"], [type="radio"], [type="file"], [type="button"], [type="submit"], [type="image"])');
    const sizedAway = el.matches('input, select, textarea, button')
      ? Math.min(rect.width, rect.height) < 2 || (isTextEntry && Math.max(rect.width, rect.height) < 14)
      : rect.width < 2 && rect.height < 2;
    if (sizedAway) return false;
    // Off the page's left or top edge, or far beyond its right one.
    return rect.right + window.scrollX > 0 && rect.bottom + window.scrollY > 0
      && rect.left + window.scrollX < Math.max(window.innerWidth, 800) * 3;
  }

  function isClippedAway(style) {
    return /rect\(\s*0(px)?[\s,]+0(px)?[\s,]+0(px)?[\s,]+0(px)?\s*\)/.test(style.clip || '')
      || /inset\(\s*(50|100)%/.test(style.clipPath || '');
  }

  // A box that clips what overflows it and has no room: a wrapper of height 0.
  function isCollapsedClip(node, style) {
    if (!/hidden|clip/.test(`${style.overflow} ${style.overflowX} ${style.overflowY}`)) return false;
    const rect = node.getBoundingClientRect();
    return rect.width < 2 || rect.height < 2;
  }

  function isHiddenByPage(el) {
    for (let node = el; node && node.nodeType === Node.ELEMENT_NODE; node = parentDeep(node)) {
      if (node.getAttribute('aria-hidden') === 'true' || node.inert) return true;
      const style = getComputedStyle(node);
      if (style.display === 'none' || Number(style.opacity) === 0 || isClippedAway(style)) return true;
      if (node !== el && isCollapsedClip(node, style)) return true;
    }
    const style = getComputedStyle(el);
    return style.visibility === 'hidden' || style.visibility === 'collapse';
  }

  function isVisible(el) {
    if (!el || !el.isConnected) return false;
    if (el.type === 'file') return true;  // file inputs are styled away behind their drop zones
    return hasBox(el) && !isHiddenByPage(el);
  }

  // Check boxes and radios are often drawn by their label while the input
  // itself is transparent or clipped: a person ticks them through the label.
  function isChoiceSeen(el) {
    if (isVisible(el)) return true;
    const root = el.getRootNode();
    const label = (el.id && root.querySelector && root.querySelector(`label[for="${CSS.escape(el.id)}"]`)) || el.closest('label');
    return !!label && isVisible(label);
  }

  function rawTextOf(el) {
    return el ? String(el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim() : '';
  }

  function textOf(el) {
    return cleanLabel(rawTextOf(el));
  }

  // The question a control asks, as the page shows it (required marks
  // included; labelOf() takes them off). Labels are looked up in the
  // control's own shadow tree.
  function rawLabelOf(el) {
    const root = el.getRootNode();
    // A button naming itself among its labels (Workday) would read its own
    // "Select One" as part of the question.
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter((id) => id && id !== el.id);
    if (ids.length) {
      const text = ids.map((id) => rawTextOf(byId(el, id))).join(' ').trim();
      if (text) return text;
    }
    if (el.id && root.querySelector) {
      const label = root.querySelector(`label[for="${CSS.escape(el.id)}"]`);
      if (label && rawTextOf(label)) return rawTextOf(label);
    }
    const wrapping = el.closest('label');
    if (wrapping) {
      const clone = wrapping.cloneNode(true);
      clone.querySelectorAll('select, textarea, option').forEach((n) => n.remove());
      if (rawTextOf(clone)) return rawTextOf(clone);
    }
    if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
    const group = el.closest('fieldset');
    if (group && (el.type === 'radio' || el.type === 'checkbox')) {
      const legend = group.querySelector('legend');
      if (legend) return rawTextOf(legend);
    }
    const container = el.closest('.field, .application-question, .form-group, [data-question], li, .question, [data-automation-id^="formField"]');
    if (container) {
      const label = container.querySelector('label, .application-label, legend, .label, [class*="question-title"]');
      if (label && rawTextOf(label)) return rawTextOf(label);
    }
    return el.getAttribute('placeholder') || el.name || el.id || '';
  }

  function labelOf(el) {
    return cleanLabel(rawLabelOf(el));
  }

  // The block that holds one question, in the systems we know.
  const QUESTION_BLOCK = '.field, .application-question, .form-group, [data-question], [class*="field-entry"], '
    + '[data-automation-id^="formField"], fieldset, li';

  // Required is what a careful person reads: the required attribute,
  // aria-required, a "required" mark in the question's block, or a label or
  // legend ending in an asterisk or saying "(required)" in one of our
  // languages. @rawLabel is the label as shown (rawLabelOf()).
  function isRequired(el, rawLabel) {
    if (el.required || el.getAttribute('aria-required') === 'true') return true;
    if (el.closest('fieldset[aria-required="true"], [role="radiogroup"][aria-required="true"], [role="group"][aria-required="true"]')) return true;
    const container = el.closest(QUESTION_BLOCK);
    if (container && container.querySelector('.required, .asterisk, [class*="required"]:not([class*="not-required"])')) return true;
    return hasRequiredMark(rawLabel) || labelsOf(el).some(isMarkedByStyle);
  }

  // The elements that label @el.
  function labelsOf(el) {
    const root = el.getRootNode();
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter((id) => id && id !== el.id);
    const labels = ids.map((id) => byId(el, id)).filter(Boolean);
    if (el.id && root.querySelectorAll) labels.push(...root.querySelectorAll(`label[for="${CSS.escape(el.id)}"]`));
    if (el.closest('label')) labels.push(el.closest('label'));
    return labels;
  }

  // A label marked required by its class, or by an asterisk its style sheet
  // draws after it (label.required::after { content: "*" }), which a person
  // sees but innerText does not hold.
  function isMarkedByStyle(label) {
    const classes = String(label.className || '');
    if (/(^|[\s_-])(required|mandatory)($|[\s_-])/.test(classes) && !/not-required|optional/.test(classes)) return true;
    return [label, label.lastElementChild].filter(Boolean)
      .some((n) => /[*✱＊]/.test(getComputedStyle(n, '::after').content || '') || /[*✱＊]/.test(getComputedStyle(n, '::before').content || ''));
  }

  function nativeSetter(el) {
    const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype
      : el instanceof HTMLSelectElement ? HTMLSelectElement.prototype
      : HTMLInputElement.prototype;
    return Object.getOwnPropertyDescriptor(proto, 'value').set;
  }

  // Sets a value the way a person's typing would, so that frameworks
  // (React keeps its own copy of an input's value) accept it: the native
  // setter, then input, change and blur events.
  function setValue(el, value) {
    el.focus?.();
    nativeSetter(el).call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
    el.dispatchEvent(new FocusEvent('blur'));
    el.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
  }

  function click(el) {
    for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup']) {
      el.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, composed: true, view: window }));
    }
    el.click();
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function press(el, key) {
    for (const type of ['keydown', 'keyup']) {
      el.dispatchEvent(new KeyboardEvent(type, { key, bubbles: true, cancelable: true, composed: true }));
    }
  }

  // Types @text into @input one key at a time, as a person does: keydown,
  // keypress, the character through the native setter, an input event
  // saying what was inserted, keyup. No blur: a typeahead drops what was
  // typed, and its menu, when its field loses focus.
  async function typeLikeAPerson(input, text) {
    const setter = nativeSetter(input);
    input.focus?.();
    setter.call(input, '');
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'deleteContentBackward' }));
    for (const ch of String(text)) {
      const key = { key: ch, bubbles: true, cancelable: true, composed: true };
      input.dispatchEvent(new KeyboardEvent('keydown', key));
      input.dispatchEvent(new KeyboardEvent('keypress', key));
      setter.call(input, input.value + ch);
      input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, data: ch, inputType: 'insertText' }));
      input.dispatchEvent(new KeyboardEvent('keyup', key));
      await sleep(10);
    }
  }

  return {
    walk, deepAll, parentDeep, byId, isVisible, isChoiceSeen, rawTextOf, textOf, rawLabelOf, labelOf,
    QUESTION_BLOCK, isRequired, nativeSetter, setValue, click, sleep, press, typeLikeAPerson,
  };
})();
