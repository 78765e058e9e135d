// runtime.js: the runtime's entry points, which the C driver calls
//
// Runs in JobSwipe's isolated script world ("jobswipe"): it shares the DOM
// with the page, but not the JavaScript globals, so the page's scripts can
// neither see this code nor the profile it is handed. The C driver
// (src/engine/jsw-apply-run.c) calls the entry points here one step at a
// time; each returns plain JSON-able data.
//
// The runtime is in parts, loaded in this order as one script
// (src/engine/jsw-engine.c): matcher.js (what a question means and which
// answer fits, no DOM), runtime-page.js (controls as a person sees and sets
// them), runtime-questions.js (a form's questions and answering them),
// this file (which system a page is, filling, reviewing, sending), then
// flow.js (the course of a run between pages) and the adapters, which
// JobSwipe.register() themselves.
//
// The first rule: never invent. A required question with no saved answer is
// reported as missing, never filled with a guess or a random option.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

Object.assign(JobSwipe, (() => {
  const { normalise, DECLINE, YES_NO_BUTTON, isPlaceholder, optedIn } = JobSwipeMatcher;
  const { deepAll, isVisible, textOf, labelOf, rawLabelOf, isRequired, setValue, click, sleep } = JobSwipe.page;
  const {
    CONTROLS, collectQuestions, isChosen, isAnswered, answerQuestion, labelOfChoice, classify, formContext,
    startFillBudget,
  } = JobSwipe.questions;

  const adapters = [];

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
    for (const form of deepAll(document, 'form')) {
      const count = deepAll(form, CONTROLS).filter(isVisible).length;
      if (count > most) { best = form; most = count; }
    }
    return best;
  }

  // Things only a person can get past, as blocker codes: the C side
  // (src/engine/jsw-blocker.c) turns each into words, translated, once.
  function blockers() {
    const adapter = findAdapter();
    // The system's own stops first (LinkedIn's limits and checks).
    const found = adapter.blockers ? [...adapter.blockers()] : [];
    const frames = [...document.querySelectorAll('iframe')].map((f) => f.src || '');
    if (document.querySelector('.h-captcha, .g-recaptcha, [data-sitekey], [data-hcaptcha-widget-id]')
        || frames.some((src) => /hcaptcha\.com|recaptcha|google\.com\/recaptcha|challenges\.cloudflare/.test(src))) {
      found.push({ code: 'captcha' });
    }
    const visiblePasswords = [...document.querySelectorAll('input[type="password"]')].filter(isVisible);
    if (visiblePasswords.length > 0) found.push({ code: 'sign_in' });
    const codeInput = [...document.querySelectorAll('input')].filter(isVisible).find((el) =>
      /verification code|one[- ]time (code|password)|security code|code (we|that we) (sent|e ?mailed)/.test(normalise(labelOf(el))));
    if (codeInput) found.push({ code: 'email_code' });
    return found;
  }

  // A question only the person can answer, shaped like the form's own
  // field, so that the app can ask it the same way: `kind` is text,
  // long_text, choice (with the form's `options`), yes_no or file.
  function askFor(question) {
    const label = question.label || question.els[0].name || '';
    const [el] = question.els;
    switch (question.kind) {
      case 'file':
        return { code: 'missing_file', label, kind: 'file' };
      case 'textarea':
        return { code: 'unknown_question', label, kind: 'long_text' };
      case 'select': {
        const options = [...el.options].filter((o) => o.value !== '' || o.text.trim() !== '')
          .map((o) => o.text.trim()).filter((text) => text && !isPlaceholder({ text: normalise(text) }));
        return { code: 'unknown_question', label, kind: 'choice', options };
      }
      case 'checkbox':
        if (question.els.length === 1) return { code: 'unknown_question', label, kind: 'yes_no' };
        return { code: 'unknown_question', label, kind: 'choice', options: question.els.map(labelOfChoice) };
      case 'radio': {
        const options = question.els.map(labelOfChoice);
        const yesNo = options.length === 2 && options.every((o) => YES_NO_BUTTON.test(normalise(o)));
        return yesNo ? { code: 'unknown_question', label, kind: 'yes_no' }
          : { code: 'unknown_question', label, kind: 'choice', options };
      }
      case 'toggle': {
        const options = question.els.map(textOf);
        const yesNo = options.every((o) => YES_NO_BUTTON.test(normalise(o)));
        return yesNo ? { code: 'unknown_question', label, kind: 'yes_no' }
          : { code: 'unknown_question', label, kind: 'choice', options };
      }
      default: {
        const long = el.maxLength > 500 || /describe|explain|tell us|why do you|cover letter|motivation/.test(normalise(label));
        return { code: 'unknown_question', label, kind: long ? 'long_text' : 'text' };
      }
    }
  }

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
    // Web-component forms (SmartRecruiters) have no <form>: their fields
    // are the page's.
    const root = adapter.root ? adapter.root() : (largestForm() || document.body);
    const formReady = !!root && deepAll(root, CONTROLS).some(isVisible);
    return { ats: adapter.name, frame_url: frameUrl, blockers: blockers(), form_ready: formReady };
  }

  // phase 'profile': the profile's own fields; phase 'questions': saved
  // answers and EEO. Both report what they filled and what they could not.
  async function fill(profileJson, phase) {
    const profile = JSON.parse(profileJson);
    startFillBudget();
    const adapter = findAdapter();
    const root = formRoot(adapter);
    const filled = [];
    const asks = [];
    const values = [];
    let questions = collectQuestions(root, adapter);
    const form = formContext(questions);
    // A follow-up question can appear once another is answered (LinkedIn's
    // "Which categories?" after "Yes"): the form is read again, up to three
    // times, for questions that were not there before.
    const seen = new Set(questions.flatMap((q) => q.els));
    for (let round = 0; round < 3 && questions.length > 0; round++) {
      for (const question of questions) {
        const what = classify(question, profile, form);
        if (what.kind === 'resume' || what.kind === 'other-file') continue;
        const isProfilePhase = what.kind === 'profile';
        if ((phase === 'profile') !== isProfilePhase) continue;
        if (what.kind === 'opt-in' || what.kind === 'consent') {
          const done = settleCheckbox(question, what.kind, profile);
          if (done === 'filled') filled.push('consent');
          else if (done === 'missing') asks.push(askFor(question));
          continue;
        }
        // A country-code select often comes set to the page's own country.
        if (isAnswered(question) && (what.field !== 'phone_country' || what.answer === null)) continue;

        let answer = what.answer;
        if (what.kind === 'eeo' && answer === null && question.kind !== 'text' && question.kind !== 'textarea') {
          // The person gave no answer: decline to self-identify, where offered.
          const choices = question.kind === 'select' ? [...question.els[0].options].map((o) => o.text)
            : question.els.map(labelOfChoice);
          answer = choices.find((c) => DECLINE.test(normalise(c))) || null;
        }
        if (answer !== null && await answerQuestion(question, answer)) {
          filled.push(what.field || question.label);
          values.push({ label: question.label || what.field || '', value: valueOf(question) });
        } else if (question.required) {
          asks.push(askFor(question));
        }
      }
      questions = collectQuestions(root, adapter).filter((q) => !q.els.some((e) => seen.has(e)));
      questions.forEach((q) => q.els.forEach((e) => seen.add(e)));
    }
    return { ats: adapter.name, filled, asks, values };
  }

  // What a question holds now, as the person would read it: what was
  // typed, the chosen option's words, the file's name.
  function valueOf(question) {
    const [el] = question.els;
    switch (question.kind) {
      case 'select':
        return el.selectedIndex >= 0 ? el.options[el.selectedIndex].text.trim() : '';
      case 'radio':
      case 'checkbox':
        return question.els.filter((e) => e.checked).map((e) => question.els.length === 1 ? 'Yes' : labelOfChoice(e)).join(', ');
      case 'toggle':
        return question.els.filter(isChosen).map(textOf).join(', ');
      case 'file':
        return el.files && el.files.length > 0 ? el.files[0].name : '';
      case 'combobox':
      case 'listbox':
        return String(question.value || el.value || textOf(el) || '');
      default:
        return String(el.value || '');
    }
  }

  // An opt-in stays unticked (a ticked one is unticked: it is the person's
  // choice, not the page's) unless the person's saved answer to it says yes
  // (matcher.js optedIn(), as the swipe deck decides it); a required consent is ticked unless the
  // profile says consent_to_required_terms: false. Returns 'filled',
  // 'missing' (the person has to decide) or null (nothing to report).
  function settleCheckbox(question, purpose, profile) {
    const [box] = question.els;
    if (purpose === 'opt-in') {
      const chosen = optedIn(profile, question.label) || optedIn(profile, labelOfChoice(box));
      if (box.checked !== chosen) click(box);
      if (chosen) return box.checked ? 'filled' : 'missing';
      return question.required ? 'missing' : null;
    }
    if (!question.required) return null;
    if (profile.consent_to_required_terms === false) return box.checked ? null : 'missing';
    if (!box.checked) click(box);
    return box.checked ? 'filled' : 'missing';
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
    const questions = collectQuestions(root, adapter);
    const form = formContext(questions);
    // A resume already kept by the system under the same name (LinkedIn's
    // resumes on the account) is chosen rather than uploaded again.
    const kept = data && adapter.chooseResume ? adapter.chooseResume(root, name) : null;
    if (kept) return { attached: true, required: true, label: kept, name };
    const input = (adapter.resumeInput && adapter.resumeInput(root))
      || questions.filter((q) => q.kind === 'file').find((q) => classify(q, {}, form).kind === 'resume')?.els[0]
      || null;
    if (!input) return { attached: false, required: false };
    if (!data) {
      return { attached: false, required: isRequired(input, rawLabelOf(input)), label: labelOf(input) || 'Resume' };
    }
    const transfer = new DataTransfer();
    transfer.items.add(new File([base64ToBytes(data)], name, { type }));
    input.files = transfer.files;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
    return { attached: input.files.length === 1, required: true, label: labelOf(input) || 'Resume', name };
  }

  // Before submitting: what is still empty and required, and what blocks.
  function review() {
    const adapter = findAdapter();
    const root = formRoot(adapter);
    const missing = collectQuestions(root, adapter)
      .filter((q) => q.required && !isAnswered(q))
      .map(askFor);
    const blocking = blockers();
    const next = adapter.nextButton ? adapter.nextButton() : null;
    const submit = adapter.submitButton ? adapter.submitButton(root) : defaultSubmitButton(root);
    return { asks: [...blocking, ...missing], has_next: !!next && !submit, has_submit: !!submit };
  }

  // "Submit", "Send application" in our languages.
  const SUBMIT_WORDS = /submit|apply|send|senden|absenden|bewerben|einreichen|envoyer|postuler|soumettre|enviar|solicitar|postular|versturen|verzenden|solliciteer|indienen|skicka|ansök|invia|candidati|candidatura/i;
  const SEND_APPLICATION = /submit|apply|send application|bewerbung (ab)?senden|jetzt bewerben|envoyer (ma|la) candidature|postuler|enviar (mi |la )?(solicitud|candidatura)|solliciteer|sollicitatie versturen|skicka ansökan|invia (la )?candidatura/i;

  function defaultSubmitButton(root) {
    const buttons = deepAll(root, 'button, input[type="submit"], input[type="button"]').filter(isVisible);
    return buttons.find((b) => b.type === 'submit' && SUBMIT_WORDS.test(b.innerText || b.value || ''))
      || buttons.find((b) => SEND_APPLICATION.test(b.innerText || b.value || ''))
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

  // The confirmation, in English, German, French, Spanish, Dutch, Swedish
  // and Italian.
  const CONFIRMATION = new RegExp([
    'thank(s| you) for (applying|your (application|interest))', 'application (has been |was )?(received|submitted|sent)',
    'we (have )?received your application', 'successfully (applied|submitted)',
    'danke? für (ihre|deine) bewerbung', '(ihre|deine) bewerbung (wurde|ist) ([a-zäöü]+ ){0,3}(eingegangen|übermittelt|versendet|gesendet|eingereicht|abgeschickt)',
    'merci (pour|de) votre candidature', 'merci d.avoir postulé', 'votre candidature a (bien )?été (envoyée|reçue|transmise|enregistrée)',
    'gracias por (tu|su) (solicitud|candidatura|postulación|interés)', 'gracias por (postularte|postular|aplicar)', '(tu|su) (solicitud|candidatura|postulación) (ha sido|se ha) (enviad|recibid)',
    'bedankt voor (je|jouw|uw|het) (sollicitatie|sollicite|interesse)', '(je|jouw|uw) sollicitatie is (ontvangen|verzonden|verstuurd)',
    'tack för din (ansökan|intresseanmälan)', 'tack för att du (har )?sökt', 'din ansökan (har|är) (skickats|tagits emot|mottagen|skickad)',
    'grazie per (la tua|la sua|aver inviato la) candidatura', 'grazie per (esserti|essersi) candidat', '(la tua|la sua) candidatura è stata (inviata|ricevuta)',
  ].join('|'), 'i');

  // After submitting: confirmed (with the page's own words), refused with
  // validation errors, blocked by a person-only step, or still pending.
  function outcome() {
    const adapter = findAdapter();
    const text = adapter.confirmation ? adapter.confirmation() : null;
    if (text) return { state: 'confirmed', text };
    const errors = adapter.errors ? adapter.errors() : defaultErrors();
    if (errors.length > 0) return { state: 'errors', errors };
    const blocking = blockers();
    if (blocking.some((b) => b.code === 'captcha' || b.code === 'email_code')) {
      return { state: 'blocked', asks: blocking };
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
    util: { normalise, labelOf, rawLabelOf, isVisible, textOf, setValue, click, sleep, largestForm, isRequired, defaultErrors, deepAll, CONFIRMATION },
    // for flow.js: which adapter and form a page has
    pages: { findAdapter, formRoot, defaultSubmitButton },
  };
})());
