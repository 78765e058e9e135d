// runtime.js: what every adapter shares
//
// Runs in JobSwipe's isolated script world ("jobswipe"): it shares the DOM
// with the page, but not the JavaScript globals, so the page's scripts can
// neither see this code nor the profile it is handed. The C driver
// (src/engine/jsw-apply-run.c) calls the entry points at the bottom one step
// at a time; each returns plain JSON-able data.
//
// The first rule: never invent. A required question with no saved answer is
// reported as missing, never filled with a guess or a random option.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

var JobSwipe = (() => {
  const adapters = [];

  // Text ------------------------------------------------------------------

  // Words that carry no meaning of their own in a question, so that "How
  // many years of experience do you have with C?" and "Years of
  // experience with C" are the same question, but "... with Python" is not.
  const STOPWORDS = new Set(['a', 'an', 'the', 'you', 'your', 'are', 'is', 'do', 'does', 'did', 'to', 'of', 'in',
                             'for', 'please', 'what', 'which', 'this', 'that', 'be', 'we', 'our', 'with', 'will',
                             'and', 'or', 'how', 'many', 'much', 'have', 'has', 'any', 'on', 'at', 'as', 'by', 'it',
                             'if', 'can', 'could', 'would', 'currently', 'tell', 'us', 'about', 'there', 'its']);

  function normalise(text) {
    return String(text || '')
      .toLowerCase()
      .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
      .replace(/\(required\)|\(optional\)|\*/g, ' ')
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  }

  function words(text) {
    return normalise(text).split(' ').filter((w) => w && !STOPWORDS.has(w));
  }

  // How alike two questions are, 0 to 1: shared words over all words.
  function similarity(a, b) {
    const x = new Set(words(a));
    const y = new Set(words(b));
    if (x.size === 0 || y.size === 0) return 0;
    let shared = 0;
    for (const w of x) if (y.has(w)) shared++;
    return shared / (x.size + y.size - shared);
  }

  function cleanLabel(text) {
    return String(text || '').replace(/\s+/g, ' ').replace(/\s*[*✱]\s*$/, '').trim();
  }

  // The DOM ---------------------------------------------------------------

  function isVisible(el) {
    if (!el || !el.isConnected) return false;
    if (el.type === 'file') return true;  // file inputs are often styled away
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') return false;
    const rect = el.getBoundingClientRect();
    return rect.width > 0 || rect.height > 0;
  }

  function textOf(el) {
    return el ? cleanLabel(el.innerText || el.textContent || '') : '';
  }

  // The question a control asks, as a person reads it.
  function labelOf(el) {
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    if (ids.length) {
      const text = ids.map((id) => textOf(document.getElementById(id))).join(' ');
      if (text) return cleanLabel(text);
    }
    if (el.id) {
      const label = document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
      if (label && textOf(label)) return textOf(label);
    }
    const wrapping = el.closest('label');
    if (wrapping) {
      const clone = wrapping.cloneNode(true);
      clone.querySelectorAll('select, textarea, option').forEach((n) => n.remove());
      if (textOf(clone)) return textOf(clone);
    }
    if (el.getAttribute('aria-label')) return cleanLabel(el.getAttribute('aria-label'));
    const group = el.closest('fieldset');
    if (group && (el.type === 'radio' || el.type === 'checkbox')) {
      const legend = group.querySelector('legend');
      if (legend) return textOf(legend);
    }
    const container = el.closest('.field, .application-question, .form-group, [data-question], li, .question');
    if (container) {
      const label = container.querySelector('label, .application-label, legend, .label, [class*="question-title"]');
      if (label && textOf(label)) return textOf(label);
    }
    return cleanLabel(el.getAttribute('placeholder') || el.name || el.id || '');
  }

  // The block that holds one question, in the systems we know.
  const QUESTION_BLOCK = '.field, .application-question, .form-group, [data-question], [class*="field-entry"], '
    + '[data-automation-id^="formField"], fieldset, li';

  function isRequired(el, label) {
    if (el.required || el.getAttribute('aria-required') === 'true') return true;
    const container = el.closest(QUESTION_BLOCK);
    if (container && container.querySelector('.required, .asterisk, [class*="required"]')) return true;
    return /\*\s*$/.test(label || '') || /\(required\)/i.test(label || '');
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
      el.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window }));
    }
    el.click();
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  const YES = /^(yes|y|true|oui|ja|si)\b/;
  const NO = /^(no|n|false|non|nein)\b/;

  // Picks the option that means @answer, or null: never a guess.
  function matchOption(options, answer) {
    const want = normalise(answer);
    if (!want) return null;
    const candidates = options.map((o) => ({ o, text: normalise(o.text), value: normalise(o.value) }))
      .filter((c) => c.text || c.value);
    return (candidates.find((c) => c.text === want || c.value === want)
      || (YES.test(want) && candidates.find((c) => YES.test(c.text)))
      || (NO.test(want) && candidates.find((c) => NO.test(c.text)))
      || candidates.find((c) => c.text.startsWith(want) || (want.length > 3 && c.text.includes(want)))
      || candidates.find((c) => c.text.length > 3 && want.includes(c.text))
      || {}).o || null;
  }

  const DECLINE = /decline|prefer not|don ?t wish|do not wish|not to (say|answer|disclose|self identify)|rather not/;

  // The profile ------------------------------------------------------------

  // Well-known profile fields, recognised by their question.
  const PROFILE_FIELDS = [
    ['first_name', /^(legal )?(first|given|fore) ?name|^first$|^prenom/],
    ['last_name', /^(legal )?(last|family|sur) ?name|^surname|^last$/],
    ['full_name', /^(full |legal )?name$|^your name$|^name (first and last|full)/],
    ['email', /\be ?mail\b/],
    ['phone', /phone|mobile|telephone|\bcell\b/],
    ['linkedin_url', /linkedin/],
    ['github_url', /github/],
    ['website_url', /website|portfolio|personal (site|url)|other url/],
    ['location', /^(current )?location|^city|where (are you|do you) (based|live|located)|^address$/],
    ['current_company', /current (company|employer|organi[sz]ation)|^company$|^employer$/],
    ['current_title', /current (job )?(title|role|position)|^job title$|^title$/],
    ['cover_letter', /cover letter|additional information|anything else (you|we)|why do you want|message to (the )?hiring/],
  ];

  // Well-known saved answers (PROTOCOL.md), recognised by their question.
  const ANSWER_KEYS = [
    ['requires_sponsorship', /sponsor/],
    ['work_authorization', /authori[sz]ed to work|right to work|eligible to work|work permit|legally (able|allowed)/],
    ['salary_expectation', /salary|compensation|expected (pay|rate)|pay expectation/],
    ['notice_period', /notice period|when can you start|earliest start|start date|available to start/],
    ['willing_to_relocate', /relocat/],
    ['how_did_you_hear', /how did you (hear|find|learn)|where did you (hear|find|see)|referr?al source|^source$/],
  ];

  const EEO_FIELDS = [
    ['gender', /gender|\bsex\b/],
    ['race', /race|ethnic/],
    ['veteran', /veteran/],
    ['disability', /disabilit/],
  ];

  function profileValue(profile, key) {
    if (key === 'full_name') {
      const name = [profile.first_name, profile.last_name].filter(Boolean).join(' ');
      return name || null;
    }
    const value = profile[key];
    return typeof value === 'string' && value !== '' ? value : null;
  }

  // The saved answer to a question: by exact normalised text, then by the
  // closest rewording, then by a well-known key.
  function savedAnswer(profile, question) {
    const answers = profile.answers || {};
    const want = normalise(question);
    let best = null;
    let bestScore = 0;
    for (const [key, value] of Object.entries(answers)) {
      if (typeof value !== 'string' || value === '') continue;
      if (normalise(key) === want) return value;
      const score = similarity(key, question);
      if (score > bestScore) { best = value; bestScore = score; }
    }
    if (bestScore >= 0.6) return best;
    for (const [key, pattern] of ANSWER_KEYS) {
      if (pattern.test(want) && typeof answers[key] === 'string' && answers[key] !== '') return answers[key];
    }
    return null;
  }

  // Questions -------------------------------------------------------------

  // The form's questions: one per text field, select or textarea, one per
  // group of radios or checkboxes sharing a name, one per combobox and per
  // group of toggle buttons an adapter points out.
  function collectQuestions(root, adapter) {
    const questions = [];
    const groups = new Map();
    const controls = root.querySelectorAll('input, select, textarea');
    for (const el of controls) {
      const type = (el.type || '').toLowerCase();
      if (['hidden', 'submit', 'button', 'reset', 'image', 'search'].includes(type)) continue;
      if (el.disabled || el.readOnly && type !== 'file') continue;
      if (el.closest('[aria-hidden="true"]') && type !== 'file') continue;
      if (el.getAttribute('role') === 'combobox' || el.closest('[role="combobox"]')) {
        if (!isVisible(el)) continue;
        const label = labelOf(el);
        questions.push({ kind: 'combobox', label, required: isRequired(el, label), els: [el] });
        continue;
      }
      if (!isVisible(el)) continue;
      if (type === 'radio' || type === 'checkbox') {
        const key = `${type}:${el.name || labelOf(el)}`;
        if (!groups.has(key)) {
          // The question around a group of choices: its fieldset, or the
          // question block (not the list item of one choice).
          const group = el.closest('fieldset')
            || el.closest('.field, .application-question, .form-group, [data-question], [data-automation-id^="formField"]')
            || el.closest('li')?.parentElement?.closest('li')
            || el.parentElement;
          const legend = group && group.querySelector('legend, .application-label, label:not(:has(input))');
          const label = cleanLabel(legend ? textOf(legend) : labelOf(el));
          const question = { kind: type, label, required: false, els: [] };
          groups.set(key, question);
          questions.push(question);
        }
        const question = groups.get(key);
        question.els.push(el);
        question.required = question.required || isRequired(el, question.label);
        continue;
      }
      const label = labelOf(el);
      questions.push({
        kind: type === 'file' ? 'file' : el.tagName === 'SELECT' ? 'select' : el.tagName === 'TEXTAREA' ? 'textarea' : 'text',
        label, required: isRequired(el, label), els: [el],
      });
    }
    if (adapter.extraQuestions) questions.push(...adapter.extraQuestions(root));
    return questions;
  }

  function isAnswered(question) {
    const [el] = question.els;
    switch (question.kind) {
      case 'radio':
      case 'checkbox':
        return question.els.some((e) => e.checked);
      case 'file':
        return el.files && el.files.length > 0;
      case 'toggle':
        return question.els.some((e) => e.getAttribute('aria-pressed') === 'true' || e.classList.contains('selected'));
      case 'combobox':
        return !!(question.value || el.value || (el.closest('[class*="control"]') || el.parentElement)
          .querySelector('[class*="single-value"], [class*="singleValue"]'));
      default:
        return String(el.value || '').trim() !== '';
    }
  }

  async function answerQuestion(question, answer) {
    const [el] = question.els;
    switch (question.kind) {
      case 'text':
      case 'textarea':
        setValue(el, answer);
        return true;
      case 'select': {
        const option = matchOption([...el.options].filter((o) => o.value !== '' || o.text.trim() !== ''), answer);
        if (!option) return false;
        setValue(el, option.value);
        return true;
      }
      case 'radio':
      case 'checkbox': {
        const options = question.els.map((e) => ({ e, text: labelOfChoice(e), value: e.value }));
        if (question.kind === 'checkbox' && question.els.length === 1 && YES.test(normalise(answer))) {
          if (!el.checked) click(el);
          return true;
        }
        const chosen = matchOption(options, answer);
        if (!chosen) return false;
        if (!chosen.e.checked) click(chosen.e);
        return true;
      }
      case 'toggle': {
        const options = question.els.map((e) => ({ e, text: textOf(e), value: textOf(e) }));
        const chosen = matchOption(options, answer);
        if (!chosen) return false;
        click(chosen.e);
        return true;
      }
      case 'combobox':
        return chooseInCombobox(el, answer, question);
      default:
        return false;
    }
  }

  function labelOfChoice(el) {
    if (el.id) {
      const label = document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
      if (label) return textOf(label);
    }
    const wrapping = el.closest('label');
    if (wrapping) return textOf(wrapping);
    return el.value || '';
  }

  // A custom combobox (react-select and its kind): type the answer, wait for
  // the list, click the option that matches. No match: nothing is chosen.
  async function chooseInCombobox(input, answer, question) {
    input.focus();
    click(input);
    setValue(input, answer);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    for (let i = 0; i < 20; i++) {
      await sleep(50);
      const listbox = document.getElementById(input.getAttribute('aria-controls') || '') || document;
      const options = [...listbox.querySelectorAll('[role="option"]')].filter(isVisible)
        .map((o) => ({ e: o, text: textOf(o), value: o.getAttribute('data-value') || textOf(o) }));
      if (options.length === 0) continue;
      const chosen = matchOption(options, answer);
      if (!chosen) return false;
      click(chosen.e);
      question.value = chosen.text;
      return true;
    }
    return false;
  }

  // What a question is, and what the profile says to it.
  function classify(question, profile) {
    const text = normalise(question.label);
    if (question.kind === 'file') {
      return /resume|\bcv\b|curriculum/.test(text) || question.els[0].name.match(/resume|cv/i)
        ? { kind: 'resume' } : { kind: 'other-file' };
    }
    for (const [field, pattern] of EEO_FIELDS) {
      if (pattern.test(text)) {
        const answer = (profile.eeo || {})[field];
        return { kind: 'eeo', field, answer: typeof answer === 'string' && answer ? answer : null };
      }
    }
    const saved = savedAnswer(profile, question.label);
    if (saved !== null && !PROFILE_FIELDS.some(([, p]) => p.test(text))) {
      return { kind: 'answer', answer: saved };
    }
    for (const [field, pattern] of PROFILE_FIELDS) {
      if (pattern.test(text) && question.kind !== 'checkbox') {
        return { kind: 'profile', field, answer: profileValue(profile, field) };
      }
    }
    return { kind: 'answer', answer: saved };
  }

  function findAdapter() {
    for (const adapter of adapters) {
      try {
        if (adapter.detect()) return adapter;
      } catch (e) { /* a broken detector must not stop the others */ }
    }
    return adapters.find((a) => a.name === 'generic');
  }

  function formRoot(adapter) {
    return (adapter.root && adapter.root()) || largestForm() || document.body;
  }

  function largestForm() {
    let best = null;
    let most = 0;
    for (const form of document.querySelectorAll('form')) {
      const count = [...form.querySelectorAll('input, select, textarea')].filter(isVisible).length;
      if (count > most) { best = form; most = count; }
    }
    return best;
  }

  // Things only a person can get past.
  function blockers() {
    const found = [];
    const frames = [...document.querySelectorAll('iframe')].map((f) => f.src || '');
    if (document.querySelector('.h-captcha, .g-recaptcha, [data-sitekey], [data-hcaptcha-widget-id]')
        || frames.some((src) => /hcaptcha\.com|recaptcha|google\.com\/recaptcha|challenges\.cloudflare/.test(src))) {
      found.push('captcha');
    }
    const visiblePasswords = [...document.querySelectorAll('input[type="password"]')].filter(isVisible);
    if (visiblePasswords.length > 0) found.push('login');
    const codeInput = [...document.querySelectorAll('input')].filter(isVisible).find((el) =>
      /verification code|one[- ]time (code|password)|security code|code (we|that we) (sent|e ?mailed)/.test(normalise(labelOf(el))));
    if (codeInput) found.push('email_code');
    return found;
  }

  const BLOCKER_TEXT = {
    captcha: 'A captcha has to be solved by a person',
    login: 'The site asks to sign in',
    email_code: 'The site sent a code by e-mail that has to be typed in',
  };

  // Entry points ------------------------------------------------------------

  // Which system this is, and whether the form is really in a frame.
  function detect() {
    const adapter = findAdapter();
    let frameUrl = null;
    if (adapter.frameUrl) frameUrl = adapter.frameUrl();
    if (!frameUrl && adapter.name === 'generic' && !largestForm()) {
      // A company page embedding an application system: go to the frame.
      const frame = [...document.querySelectorAll('iframe')].find((f) =>
        adapters.some((a) => a.embedPattern && a.embedPattern.test(f.src || '')) || /apply|application|job/i.test(f.src || ''));
      if (frame && frame.src && !/captcha/.test(frame.src)) frameUrl = frame.src;
    }
    const root = adapter.root ? adapter.root() : largestForm();
    const formReady = !!root && [...root.querySelectorAll('input, select, textarea')].some(isVisible);
    return { ats: adapter.name, frame_url: frameUrl, blockers: blockers(), form_ready: formReady };
  }

  // phase 'profile': the profile's own fields; phase 'questions': saved
  // answers and EEO. Both report what they filled and what they could not.
  async function fill(profileJson, phase) {
    const profile = JSON.parse(profileJson);
    const adapter = findAdapter();
    const root = formRoot(adapter);
    const filled = [];
    const missing = [];
    for (const question of collectQuestions(root, adapter)) {
      const what = classify(question, profile);
      if (what.kind === 'resume' || what.kind === 'other-file') continue;
      const isProfilePhase = what.kind === 'profile';
      if ((phase === 'profile') !== isProfilePhase) continue;
      if (isAnswered(question)) continue;

      let answer = what.answer;
      if (what.kind === 'eeo' && answer === null && question.kind !== 'text' && question.kind !== 'textarea') {
        // The person gave no answer: decline to self-identify, where offered.
        const choices = question.kind === 'select' ? [...question.els[0].options].map((o) => o.text)
          : question.els.map(labelOfChoice);
        answer = choices.find((c) => DECLINE.test(normalise(c))) || null;
      }
      if (answer !== null && await answerQuestion(question, answer)) {
        filled.push(what.field || question.label);
      } else if (question.required) {
        missing.push(question.label || question.els[0].name);
      }
    }
    return { ats: adapter.name, filled, missing };
  }

  function base64ToBytes(data) {
    const binary = atob(data);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  // Puts the resume into the form's resume input.
  function attachResume(name, type, data) {
    const adapter = findAdapter();
    const root = formRoot(adapter);
    const input = (adapter.resumeInput && adapter.resumeInput(root))
      || collectQuestions(root, adapter).filter((q) => q.kind === 'file')
        .find((q) => classify(q, {}).kind === 'resume')?.els[0]
      || null;
    if (!input) return { attached: false, required: false };
    if (!data) {
      return { attached: false, required: isRequired(input, labelOf(input)), label: labelOf(input) || 'Resume' };
    }
    const transfer = new DataTransfer();
    transfer.items.add(new File([base64ToBytes(data)], name, { type }));
    input.files = transfer.files;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
    return { attached: input.files.length === 1, required: true, label: labelOf(input) || 'Resume' };
  }

  // Before submitting: what is still empty and required, and what blocks.
  function review() {
    const adapter = findAdapter();
    const root = formRoot(adapter);
    const missing = collectQuestions(root, adapter)
      .filter((q) => q.required && !isAnswered(q))
      .map((q) => q.label || q.els[0].name);
    const blocking = blockers().map((b) => BLOCKER_TEXT[b]);
    const next = adapter.nextButton ? adapter.nextButton() : null;
    const submit = adapter.submitButton ? adapter.submitButton(root) : defaultSubmitButton(root);
    return { missing: [...blocking, ...missing], has_next: !!next && !submit, has_submit: !!submit };
  }

  function defaultSubmitButton(root) {
    const buttons = [...root.querySelectorAll('button, input[type="submit"], input[type="button"]')].filter(isVisible);
    return buttons.find((b) => b.type === 'submit' && /submit|apply|send/i.test(b.innerText || b.value || ''))
      || buttons.find((b) => /submit|apply|send application/i.test(b.innerText || b.value || ''))
      || buttons.find((b) => b.type === 'submit')
      || null;
  }

  // Multi-step forms (Workday): on to the next page of the wizard.
  function next() {
    const adapter = findAdapter();
    const button = adapter.nextButton ? adapter.nextButton() : null;
    if (!button) return { clicked: false };
    click(button);
    return { clicked: true };
  }

  function submit() {
    const adapter = findAdapter();
    const root = formRoot(adapter);
    const button = adapter.submitButton ? adapter.submitButton(root) : defaultSubmitButton(root);
    if (!button) return { clicked: false };
    window.__jobswipeSubmittedAt = location.href;
    click(button);
    return { clicked: true };
  }

  const CONFIRMATION = /thank(s| you) for (applying|your (application|interest))|application (has been |was )?(received|submitted|sent)|we (have )?received your application|successfully (applied|submitted)/i;

  // After submitting: confirmed (with the page's own words), refused with
  // validation errors, blocked by a person-only step, or still pending.
  function outcome() {
    const adapter = findAdapter();
    const text = adapter.confirmation ? adapter.confirmation() : null;
    if (text) return { state: 'confirmed', text };
    const errors = adapter.errors ? adapter.errors() : defaultErrors();
    if (errors.length > 0) return { state: 'errors', errors };
    const blocking = blockers();
    if (blocking.includes('captcha') || blocking.includes('email_code')) {
      return { state: 'blocked', errors: blocking.map((b) => BLOCKER_TEXT[b]) };
    }
    const body = document.body ? document.body.innerText : '';
    const match = body.match(CONFIRMATION);
    if (match && !largestFormWithEmptyRequired()) {
      const line = body.split('\n').map((l) => l.trim()).find((l) => CONFIRMATION.test(l));
      return { state: 'confirmed', text: line || match[0] };
    }
    return { state: 'pending' };
  }

  function largestFormWithEmptyRequired() {
    const form = largestForm();
    return form && [...form.querySelectorAll('[required]')].some((el) => isVisible(el) && !el.value);
  }

  function defaultErrors() {
    return [...document.querySelectorAll('.error, .errors, .field-error, .error-message, [role="alert"], .invalid-feedback')]
      .filter(isVisible).map(textOf).filter(Boolean);
  }

  function register(adapter) {
    adapters.push(adapter);
    // The generic adapter always matches, so it goes last.
    adapters.sort((a, b) => (a.name === 'generic') - (b.name === 'generic'));
  }

  return {
    register, detect, fill, attachResume, review, next, submit, outcome,
    // for adapters
    util: { normalise, labelOf, isVisible, textOf, setValue, click, sleep, largestForm, isRequired, defaultErrors, CONFIRMATION },
    // for flow.js: which adapter and form a page has
    pages: { findAdapter, formRoot, defaultSubmitButton },
  };
})();
