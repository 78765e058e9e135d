// runtime-questions.js: a form's questions, and answering them
//
// The third part of the runtime (the order is in src/engine/jsw-engine.c):
// the questions a form asks, one per control or group of choices, open
// shadow roots included; whether one is answered; answering it in selects,
// radios, check boxes, yes/no toggles, comboboxes and custom dropdowns
// (typing like a person and waiting for the options); and what a question
// is (classify(): the resume, a consent, an opt-in, the phone's country, a
// profile field or a saved answer, by matcher.js's answerFor()).
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

JobSwipe.questions = (() => {
  const {
    normalise, cleanLabel, YES, YES_NO_BUTTON, isPlaceholder, matchOption, answerFor, checkboxPurposeOf, RESUME, OTHER_FILE,
  } = JobSwipeMatcher;
  const {
    deepAll, byId, isVisible, isChoiceSeen, rawTextOf, textOf, rawLabelOf, labelOf, QUESTION_BLOCK, isRequired,
    setValue, click, sleep, press, typeLikeAPerson,
  } = JobSwipe.page;

  // Questions -------------------------------------------------------------

  const CONTROLS = 'input, select, textarea';
  // Custom dropdowns: a button (or an ARIA 1.2 select-only combobox) whose
  // options render only once it is pressed (Workday, BambooHR).
  const LISTBOX_BUTTONS = 'button[aria-haspopup="listbox"], [role="button"][aria-haspopup="listbox"], [role="combobox"]:not(input)';

  // The block around a group of choices: its fieldset, or the question
  // block (not the list item of one choice).
  function choiceGroup(el) {
    return el.closest('fieldset')
      || el.closest('.field, .application-question, .form-group, [data-question], [data-automation-id^="formField"]')
      || el.closest('li')?.parentElement?.closest('li')
      || el.parentElement;
  }

  function rawGroupLabel(el, group) {
    const legend = group && group.querySelector('legend, .application-label, label:not(:has(input))');
    return legend ? rawTextOf(legend) : rawLabelOf(el);
  }

  function makeQuestion(kind, el, rawLabel, els) {
    return { kind, label: cleanLabel(rawLabel), required: isRequired(el, rawLabel), els: els || [el] };
  }

  // The form's questions, open shadow roots included: one per text field,
  // select or textarea, one per group of radios or check boxes sharing a
  // name, one per combobox, custom dropdown and group of yes/no toggle
  // buttons. Nothing a person cannot see is a question (honeypots; native
  // selects hidden behind the custom widget that sets them).
  function collectQuestions(root, adapter) {
    const questions = [];
    const groups = new Map();
    for (const el of deepAll(root, CONTROLS)) {
      const type = (el.type || '').toLowerCase();
      if (['hidden', 'submit', 'button', 'reset', 'image', 'search'].includes(type)) continue;
      if (el.disabled || el.readOnly && type !== 'file') continue;
      if (el.getAttribute('role') === 'combobox' || el.closest('[role="combobox"]')) {
        if (isVisible(el)) questions.push(makeQuestion('combobox', el, rawLabelOf(el)));
        continue;
      }
      if (type === 'radio' || type === 'checkbox') {
        if (!isChoiceSeen(el)) continue;
        const key = `${type}:${el.name || labelOf(el)}`;
        const rawLabel = rawGroupLabel(el, choiceGroup(el));
        if (!groups.has(key)) {
          const q = makeQuestion(type, el, rawLabel, []);
          groups.set(key, q);
          questions.push(q);
        }
        const q = groups.get(key);
        q.els.push(el);
        q.required = q.required || isRequired(el, rawLabel);
        continue;
      }
      if (!isVisible(el)) continue;
      const kind = type === 'file' ? 'file' : el.tagName === 'SELECT' ? 'select' : el.tagName === 'TEXTAREA' ? 'textarea' : 'text';
      questions.push(makeQuestion(kind, el, rawLabelOf(el)));
    }
    questions.push(...listboxQuestions(root), ...toggleQuestions(root));
    if (adapter.extraQuestions) questions.push(...adapter.extraQuestions(root));
    // One question per control, whoever found it first.
    const seen = new Set();
    return questions.filter((q) => {
      if (seen.has(q.els[0])) return false;
      q.els.forEach((e) => seen.add(e));
      return true;
    });
  }

  function listboxQuestions(root) {
    return deepAll(root, LISTBOX_BUTTONS).filter((b) => isVisible(b) && !b.querySelector('input')).map((button) => {
      const q = makeQuestion('listbox', button, rawLabelOf(button));
      // A native select hidden behind the widget tells whether it is required.
      const block = button.closest(QUESTION_BLOCK) || button.parentElement;
      q.native = block && block.querySelector('select');
      q.required = q.required || !!(q.native && q.native.required);
      return q;
    });
  }

  // Yes/no questions drawn as buttons (Ashby, Workable, Greenhouse's new
  // boards) or as ARIA radio groups: a block whose only choices are these.
  function toggleQuestions(root) {
    const questions = [];
    for (const group of deepAll(root, '[role="radiogroup"]')) {
      const els = deepAll(group, '[role="radio"]').filter(isVisible);
      if (els.length >= 2) questions.push(makeQuestion('toggle', group, toggleGroupLabel(group, els), els));
    }
    for (const block of deepAll(root, `${QUESTION_BLOCK}, [role="group"]`)) {
      const buttons = [...block.querySelectorAll('button[type="button"], button:not([type]), [role="button"][aria-pressed]')]
        .filter((b) => isVisible(b) && YES_NO_BUTTON.test(normalise(textOf(b))));
      if (buttons.length < 2 || block.querySelector('input:not([type="hidden"]), select, textarea')) continue;
      const q = makeQuestion('toggle', block, toggleGroupLabel(block, buttons), buttons);
      q.required = q.required || buttons.some((b) => b.getAttribute('aria-required') === 'true');
      questions.push(q);
    }
    return questions;
  }

  function toggleGroupLabel(group, choices) {
    const ids = (group.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    if (ids.length) return ids.map((id) => rawTextOf(byId(group, id))).join(' ');
    if (group.getAttribute('aria-label')) return group.getAttribute('aria-label');
    const title = group.querySelector('legend, label, .label, [class*="question-title"], [class*="label"], p, span');
    if (title && !choices.some((c) => title.contains(c))) return rawTextOf(title);
    const clone = group.cloneNode(true);
    clone.querySelectorAll('button, [role="radio"]').forEach((n) => n.remove());
    return rawTextOf(clone);
  }

  function isChosen(el) {
    return el.getAttribute('aria-pressed') === 'true' || el.getAttribute('aria-checked') === 'true'
      || /(^|[\s_-])(selected|active|checked|is-selected)($|[\s_-])/.test(el.className || '');
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
        return question.els.some(isChosen);
      case 'select': {
        // LinkedIn's "Select an option" has that text as its value too.
        const option = el.options[el.selectedIndex];
        return !!option && String(el.value || '').trim() !== '' && !isPlaceholder({ text: normalise(option.text) });
      }
      case 'combobox':
        return !!(question.value || el.value || (el.closest('[class*="control"]') || el.parentElement)
          .querySelector('[class*="single-value"], [class*="singleValue"]'));
      case 'listbox':
        return !!(question.value || (question.native && question.native.value)
          || (!question.native && !isPlaceholder({ text: normalise(textOf(el)) })));
      default:
        return String(el.value || '').trim() !== '';
    }
  }

  // The option that answers: a profile phone's country among country
  // codes, else matchOption().
  function pickOption(options, answer) {
    return answer && typeof answer === 'object' && answer.phone_country
      ? pickPhoneCountry(options, answer.phone_country) : matchOption(options, answer);
  }

  async function answerQuestion(question, answer) {
    const [el] = question.els;
    switch (question.kind) {
      case 'text':
      case 'textarea':
        setValue(el, answer);
        return true;
      case 'select': {
        const option = pickOption([...el.options].filter((o) => o.value !== '' || o.text.trim() !== ''), answer);
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
        const chosen = pickOption(options, answer);
        if (!chosen) return false;
        if (!chosen.e.checked) click(chosen.e);
        return true;
      }
      case 'toggle': {
        const options = question.els.map((e) => ({ e, text: textOf(e), value: e.getAttribute('data-value') || textOf(e) }));
        const chosen = pickOption(options, answer);
        if (!chosen) return false;
        click(chosen.e);
        return true;
      }
      case 'combobox':
        return chooseInCombobox(el, answer, question);
      case 'listbox':
        return chooseInListbox(el, answer, question);
      default:
        return false;
    }
  }

  function labelOfChoice(el) {
    const root = el.getRootNode();
    if (el.id && root.querySelector) {
      const label = root.querySelector(`label[for="${CSS.escape(el.id)}"]`);
      if (label) return textOf(label);
    }
    const wrapping = el.closest('label');
    if (wrapping) return textOf(wrapping);
    return el.value || '';
  }

  // The options a dropdown shows now: in the list it names (aria-controls,
  // aria-owns), else any visible option on the page (menus render in a
  // layer at the end of the body).
  function visibleOptions(anchor) {
    const id = anchor.getAttribute('aria-controls') || anchor.getAttribute('aria-owns') || '';
    const list = id && byId(anchor, id);
    let options = deepAll(list || document, '[role="option"]');
    // A list the field names whose items carry no role of their own.
    if (list && options.length === 0) options = deepAll(list, 'li');
    return options
      .filter((o) => isVisible(o) && o.getAttribute('aria-disabled') !== 'true')
      .map((o) => ({ e: o, text: textOf(o), value: optionValue(o) }));
  }

  // What an option of a custom list stands for, where it says so: intl-tel-input
  // and its kind carry the country's ISO code.
  function optionValue(o) {
    return o.getAttribute('data-value') || o.getAttribute('data-country-code') || o.getAttribute('data-country')
      || textOf(o);
  }

  // All waiting for options within one fill() call ends by this time, so
  // that the call answers within the 20 s the engine gives it
  // (FILL_ANSWER_MS in jsw-apply-run.c) however many dropdowns stay empty;
  // what is left unanswered then is handed to the person.
  const FILL_WAIT_BUDGET_MS = 12000;
  let fillWaitsEnd = Infinity;

  // A fill() call starts: its waits for options end within the budget.
  function startFillBudget() {
    fillWaitsEnd = performance.now() + FILL_WAIT_BUDGET_MS;
  }

  // Waits up to @ms for options that answer; returns the chosen one, or
  // null once the options shown stopped changing without one that does.
  async function awaitOption(anchor, answer, ms) {
    // Clock time, not a count of sleeps: a page in the background has its
    // timers slowed down.
    const deadline = Math.min(performance.now() + ms, fillWaitsEnd);
    let last = '';
    let steadySince = 0;
    for (;;) {
      const options = visibleOptions(anchor);
      const chosen = options.length ? pickOption(options, answer) : null;
      if (chosen) return chosen;
      const shown = options.map((o) => o.text).join('\n');
      const now = performance.now();
      if (!options.length || shown !== last) steadySince = now;
      // 400 ms of the same options, none of them right
      if (now - steadySince >= 400 || now >= deadline) return null;
      last = shown;
      await sleep(50);
    }
  }

  // What to type into a typeahead: the answer, then for a place its town
  // alone (a place search may not know "CA").
  function queriesFor(answer) {
    if (typeof answer !== 'string') return [];
    const town = answer.split(',')[0].trim();
    return town && town !== answer.trim() ? [answer, town] : [answer];
  }

  function choose(question, chosen) {
    click(chosen.e);
    question.value = chosen.text;
  }

  // A custom combobox (react-select and its kind, including asynchronous
  // typeaheads whose options come from a search only after typing): open
  // it and look for the answer among its options; else type like a person,
  // wait for the options, and pick the one that means the answer. Only
  // then is the field left. No match: nothing is chosen.
  async function chooseInCombobox(input, answer, question) {
    input.focus();
    click(input);
    press(input, 'ArrowDown');
    let chosen = await awaitOption(input, answer, 300);
    for (const query of queriesFor(answer)) {
      if (chosen) break;
      await typeLikeAPerson(input, query);
      chosen = await awaitOption(input, answer, 4000);
    }
    if (chosen) {
      choose(question, chosen);
      await sleep(50);
    } else {
      press(input, 'Escape');
      if (input.value) setValue(input, '');
    }
    input.blur();
    return !!chosen;
  }

  // A button whose list of options renders on click (Workday, BambooHR):
  // open it, pick, or close it again.
  async function chooseInListbox(button, answer, question) {
    click(button);
    const chosen = await awaitOption(button, answer, 2000);
    if (chosen) {
      choose(question, chosen);
      await sleep(50);
      return true;
    }
    press(button, 'Escape');
    if (button.getAttribute('aria-expanded') === 'true') click(button);
    return false;
  }

  // A single check box that is a consent or an opt-in (matcher.js), by
  // its question and its own label.
  function checkboxPurpose(question) {
    return checkboxPurposeOf(`${question.label} ${labelOfChoice(question.els[0])}`);
  }

  // Telephone: a select (or dropdown) of country calling codes beside the
  // number gets the profile phone's country, the field beside it the
  // national number (profile.phone_parts, parsed by libphonenumber).
  const PHONE_COUNTRY_LABEL = /country (calling )?code|dial(l)?ing code|calling code|phone (country|prefix|code)|country prefix|landervorwahl|vorwahl|indicatif|prefijo|codigo (de )?pais|landcode|landsnummer|landskod|prefisso/;

  function isPhoneCountryQuestion(q) {
    if (!['select', 'combobox', 'listbox', 'text'].includes(q.kind)) return false;
    if (PHONE_COUNTRY_LABEL.test(normalise(q.label))) return true;
    // A country dropdown inside the phone field's own widget (intl-tel-input).
    if (q.kind === 'listbox' && q.els[0].closest('.iti, .intl-tel-input, [class*="phone-input"], [class*="PhoneInput"]')) return true;
    if (q.kind !== 'select') return false;
    const options = [...q.els[0].options].filter((o) => o.value !== '');
    return options.length >= 2 && options.filter((o) => /\+\s?\d/.test(o.text)).length * 2 >= options.length;
  }

  function countryNames(iso) {
    const names = new Set();
    for (const lang of ['en', document.documentElement.lang || 'en']) {
      try {
        names.add(normalise(new Intl.DisplayNames([lang], { type: 'region' }).of(iso)));
      } catch (e) { /* an unknown language tag: English is there */ }
    }
    return [...names].filter(Boolean);
  }

  // Among country-code options, the one for @parts' country: by its ISO
  // code as the value, by the country's name, or by the calling code when
  // only one option has it. Several countries share +1 and +7, so the code
  // alone decides only when it is unique.
  function pickPhoneCountry(options, parts) {
    const iso = String(parts.country || '').toUpperCase();
    const names = iso ? countryNames(iso) : [];
    const code = new RegExp(`\\+\\s?${parts.calling_code}(?!\\d)`);
    const byIso = options.filter((o) => iso && String(o.value).toUpperCase() === iso);
    if (byIso.length === 1) return byIso[0];
    const byCode = options.filter((o) => code.test(o.text) || code.test(String(o.value)));
    const byName = (byCode.length ? byCode : options).filter((o) => names.some((n) => ` ${normalise(o.text)} `.includes(` ${n} `)));
    if (byName.length === 1) return byName[0];
    // "United States" beside "United States Minor Outlying Islands": the one
    // that is the name and nothing more.
    const named = byName.filter((o) => names.includes(normalise(o.text.replace(/\+\s?\d+/g, ''))));
    if (named.length === 1) return named[0];
    return byCode.length === 1 ? byCode[0] : null;
  }

  // What a question is, and what the profile says to it. @form tells what
  // the form holds around it (form.phoneCountry: the country-code question).
  function classify(question, profile, form) {
    if (question.kind === 'file') {
      return isResumeInput(question, form) ? { kind: 'resume' } : { kind: 'other-file' };
    }
    if (question.kind === 'checkbox' && question.els.length === 1) {
      const purpose = checkboxPurpose(question);
      if (purpose) return { kind: purpose };
    }
    const parts = profile.phone_parts && typeof profile.phone_parts === 'object' ? profile.phone_parts : null;
    if (form && form.phoneCountry === question) {
      // A text field for the code takes it as written: "+1".
      const answer = !parts ? null : question.kind === 'text' ? `+${parts.calling_code}` : { phone_country: parts };
      return { kind: 'profile', field: 'phone_country', answer };
    }
    const what = answerFor(profile, question.label, question.kind !== 'checkbox');
    // Beside a country-code select the number goes in without its country.
    if (what.field === 'phone' && form && form.phoneCountry && parts) return { ...what, answer: parts.national };
    return what;
  }

  // Which file input takes the resume: the one whose label, name or the
  // drop zone around it says so; else the form's only file input, unless
  // that one asks for something else.
  function isResumeInput(question, form) {
    const el = question.els[0];
    const around = [...((el.parentElement || el.getRootNode()).children || [])]
      .map((n) => `${n.getAttribute('aria-label') || ''} ${rawTextOf(n)}`).join(' ');
    const text = normalise(`${question.label} ${el.name || ''} ${el.id || ''} ${around}`);
    if (RESUME.test(text)) return true;
    return !!form && form.fileCount === 1 && !OTHER_FILE.test(text);
  }

  // What the form holds that changes how single questions are answered.
  function formContext(questions) {
    return {
      phoneCountry: questions.find(isPhoneCountryQuestion) || null,
      fileCount: questions.filter((q) => q.kind === 'file').length,
    };
  }

  return {
    CONTROLS, collectQuestions, isChosen, isAnswered, answerQuestion, labelOfChoice, classify, formContext,
    startFillBudget,
  };
})();
