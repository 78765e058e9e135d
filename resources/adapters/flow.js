// flow.js: the course of a run between pages, shared by every adapter
//
// the runtime's other parts read and fill one page's form; this file decides what a
// page is and what pressing its buttons did:
//
//  - a posting page is not a form: its "Apply" button (Workable's "Apply for
//    this job", SmartRecruiters' "I'm interested", iCIMS, Greenhouse and
//    Lever postings) is pressed to reach the form, and never counts as
//    sending anything;
//  - a wizard's Next that leaves the page where it was, showing an error,
//    is read at once instead of being pressed again;
//  - after the send button: the employer's confirmation, its error, or
//    nothing at all (the page went quiet), told apart within seconds.
//
// The C driver (src/engine/jsw-apply-run.c) calls JobSwipe.flow.* one step
// at a time; each returns plain JSON-able data.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

JobSwipe.flow = (() => {
  const { normalise, isVisible, textOf, labelOf, click } = JobSwipe.util;
  const { findAdapter, formRoot, defaultSubmitButton } = JobSwipe.pages;

  // Elements matching @selector in @root and in every open shadow root
  // below it (SmartRecruiters' and other web-component boards).
  function allDeep(root, selector) {
    if (JobSwipe.util.deepAll) return JobSwipe.util.deepAll(root, selector);
    const found = [...root.querySelectorAll(selector)];
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) found.push(...allDeep(el.shadowRoot, selector));
    }
    return found;
  }

  function buttonText(el) {
    return normalise(el.innerText || el.textContent || el.value || el.getAttribute('aria-label') || '');
  }

  const BUTTONS = 'button, a, [role="button"], input[type="submit"], input[type="button"]';

  // A posting's button that opens the application form, in the languages
  // the systems serve (Personio, Teamtailor, Recruitee, Workday and
  // SmartRecruiters in German, French, Spanish, Dutch, Swedish and
  // Italian). Anchored: "Apply with LinkedIn" signs in elsewhere.
  const APPLY = new RegExp('^(apply( now| here| online| today)?'
    + '|apply (for|to) (this |the )?(job|position|role|vacancy|opening)( online| now)?'
    + '|apply manually|i m interested|im interested|i am interested|start (your |my )?application|begin application'
    + '|(jetzt )?(online )?bewerben|jetzt bewerben|zur bewerbung|bewerbung starten'
    + '|postuler( maintenant| a cette offre| en ligne)?|je postule|candidater'
    + '|(solicitar|aplicar|postularme|postular|inscribirse)( ahora| a esta oferta)?'
    + '|solliciteer( nu| direct)?|solliciteren|nu solliciteren'
    + '|ansok( nu| har)?|sok (tjansten|jobbet)( nu)?'
    + '|candidati( ora)?|candidatura|invia (la )?candidatura)$');

  // What a wizard step's forward button says.
  const NEXT = new RegExp('^(next( step| page)?|continue|save (and|&) continue|proceed|weiter|fortfahren|nachster schritt'
    + '|suivant|continuer|etape suivante|siguiente|continuar|volgende( stap)?|doorgaan|ga verder'
    + '|nasta( steg)?|fortsatt|avanti|continua|successivo)\\b');

  // What the button that sends an application says.
  const SEND = new RegExp('(submit|send|apply|finish|complete application'
    + '|absenden|abschicken|bewerbung (senden|absenden|abschicken)|senden'
    + '|envoyer|soumettre|postuler|enviar|solicitar|aplicar'
    + '|verzenden|versturen|solliciteer|skicka|ansok|invia|candidati)');

  // Kind 1: postings --------------------------------------------------------

  // A form a person applies with: a file to upload, or their name or
  // e-mail beside other fields. A search box or a job-alert sign-up on a
  // posting page is not one.
  function isApplicationForm(root) {
    if (!root) return false;
    const controls = allDeep(root, 'input, select, textarea').filter((el) =>
      !['hidden', 'submit', 'button', 'reset', 'image', 'search'].includes((el.type || '').toLowerCase()) && isVisible(el));
    // A file input is often hidden behind its drop zone, but the zone is
    // on screen; one in a folded-away section is not.
    if (controls.some((el) => el.type === 'file' && el.parentElement && el.parentElement.getClientRects().length > 0)) return true;
    const personal = controls.filter((el) => /name|e ?mail|phone/.test(normalise(labelOf(el))));
    return personal.length > 0 && controls.length >= 3;
  }

  function applyButton() {
    // A system's own button (LinkedIn's "Easy Apply"), which the words
    // below leave out: "Apply" on LinkedIn opens the employer's site.
    const adapter = findAdapter();
    if (adapter.applyButton) return adapter.applyButton();
    return allDeep(document, BUTTONS).filter(isVisible).find((el) => APPLY.test(buttonText(el))) || null;
  }

  // Whether this page is a posting whose form is one press away.
  function posting() {
    const adapter = findAdapter();
    const application = isApplicationForm(formRoot(adapter)) || isApplicationForm(document.body);
    const button = application ? null : applyButton();
    // A wizard's last step (a review) asks nothing, and is ready when its
    // buttons are.
    const root = formRoot(adapter);
    const stepReady = !!nextButton(root) || !!(adapter.submitButton ? adapter.submitButton(root) : defaultSubmitButton(root));
    return { application, apply_button: !!button, apply_label: button ? textOf(button) : '', step_ready: stepReady };
  }

  // Presses the posting's Apply button. A plain link is handed back for the
  // driver to open in this view, whatever its target (a new tab, a popup).
  function openApplication() {
    const button = applyButton();
    if (!button) return { pressed: false };
    const href = button.tagName === 'A' ? button.getAttribute('href') || '' : '';
    if (href && !href.startsWith('#') && !/^javascript:/i.test(href)) {
      return { pressed: true, href: new URL(href, location.href).href, label: textOf(button) };
    }
    click(button);
    return { pressed: true, href: null, label: textOf(button) };
  }

  // Kind 11: wizard steps -----------------------------------------------------

  function nextButton(root) {
    const adapter = findAdapter();
    if (adapter.nextButton) return adapter.nextButton();
    const buttons = allDeep(root || document, 'button, input[type="submit"], input[type="button"], [role="button"], a[href="#"]')
      .filter(isVisible);
    if (buttons.some((b) => SEND.test(buttonText(b)) && !NEXT.test(buttonText(b)))) return null;
    return buttons.find((b) => NEXT.test(buttonText(b))) || null;
  }

  // JobSwipe.review(), with a generic wizard step told from the last page:
  // "Next" or "Weiter" without a send button leads on.
  function review() {
    const answer = JobSwipe.review();
    answer.application = isApplicationForm(formRoot(findAdapter())) || isApplicationForm(document.body);
    if (!answer.has_next && findAdapter().nextButton === undefined) {
      const next = nextButton(formRoot(findAdapter()));
      if (next) {
        answer.has_next = true;
        answer.has_submit = false;
      }
    }
    return answer;
  }

  // What identifies the step a page shows: its address, headings and the
  // questions it asks.
  function pageSignature() {
    const root = formRoot(findAdapter()) || document.body;
    const headings = allDeep(document, 'h1, h2, h3, legend, [aria-current="step"]').filter(isVisible).map(textOf);
    const questions = allDeep(root, 'input, select, textarea').filter(isVisible).map((el) => el.name || labelOf(el));
    return JSON.stringify([location.href, headings, questions]);
  }

  let stepBefore = null;

  function next() {
    const button = nextButton(formRoot(findAdapter()));
    if (!button) return { clicked: false };
    stepBefore = pageSignature();
    errorsBefore = new Set(errorsNow());
    click(button);
    return { clicked: true };
  }

  // After Next: "advanced" (another step, or another page altogether, where
  // this script starts afresh), "errors" (the same step, now showing what
  // is wrong), or "same" (nothing happened yet).
  function afterNext() {
    if (stepBefore === null || pageSignature() !== stepBefore) return { state: 'advanced' };
    const fields = invalidFields();
    const errors = newErrors();
    if (fields.length > 0 || errors.length > 0) return { state: 'errors', fields, errors };
    return { state: 'same' };
  }

  // Kind 12: after sending -----------------------------------------------------

  // Where pages put what went wrong, in the systems we know and the usual
  // frameworks (Bootstrap, Material, Polaris, form libraries).
  const ERROR_PLACES = '[role="alert"], [aria-live="assertive"], .error, .errors, .field-error, .error-message, .error-text, '
    + '.invalid-feedback, .form-error, .form-errors, .alert-danger, .alert-error, .help-block, .helper-text--error, '
    + '[class*="error" i], [class*="invalid" i], [data-error], [id*="error" i]';

  // Words of an error, not of a label or of help text.
  const ERROR_WORDS = new RegExp('\\b(error|required|invalid|missing|please (enter|fill|complete|correct|provide|select|choose|upload|check)'
    + '|must|could not|couldn t|cannot|can t|unable|failed|went wrong|try again|not valid|no longer|closed|expired'
    + '|problem|already (applied|been used|submitted)|not (been )?(accepted|submitted|sent)'
    + '|fehler|erforderlich|pflichtfeld|ungultig|bitte|obligatoire|requis|invalide|erreur|veuillez'
    + '|obligatorio|error|no valido|por favor|verplicht|ongeldig|fout|graag|obligatorisk|ogiltig|fel|var god'
    + '|obbligatorio|non valido|errore|per favore)\\b');

  // An error's own words: a field's wrapper marked as wrong holds the
  // question and the control too.
  function wordsOf(el) {
    if (!el.querySelector('label, input, select, textarea, button')) return textOf(el);
    const clone = el.cloneNode(true);
    clone.querySelectorAll('label, input, select, textarea, button').forEach((n) => n.remove());
    return textOf(clone);
  }

  function visibleErrors() {
    const places = allDeep(document, ERROR_PLACES).filter(isVisible);
    // The innermost place holding the words, not every wrapper around it.
    return places.filter((el) => !places.some((other) => other !== el && el.contains(other)))
      .map(wordsOf)
      .filter((text) => text && text.length <= 300 && ERROR_WORDS.test(normalise(text)));
  }

  let errorsBefore = new Set();

  // The errors shown since the last press, where the adapter or the usual
  // places put them.
  function newErrors() {
    const adapter = findAdapter();
    const known = adapter.errors ? adapter.errors() : [];
    return [...new Set([...known, ...visibleErrors()].filter((text) => !errorsBefore.has(text)))];
  }

  function errorsNow() {
    const adapter = findAdapter();
    return [...(adapter.errors ? adapter.errors() : []), ...visibleErrors()];
  }

  // The questions the page marked as wrong (aria-invalid, the standard way).
  function invalidFields() {
    return [...new Set(allDeep(document, '[aria-invalid="true"]').filter(isVisible).map(labelOf).filter(Boolean))];
  }

  let sentAt = null;
  let lastChange = null;
  let lastSignature = null;

  // Presses the send button (JobSwipe.submit()), remembering what errors
  // were already on the page, so that only new ones count.
  function send() {
    errorsBefore = new Set(errorsNow());
    sentAt = performance.now();
    return JobSwipe.submit();
  }

  function activitySignature() {
    const text = document.body ? document.body.innerText : '';
    return `${location.href}|${text.length}|${performance.getEntriesByType('resource').length}`;
  }

  // After the send button: JobSwipe.outcome(), then errors any page shows
  // (and, on the same page, only new ones), and how long the page has been
  // quiet (no change of address, text or network activity), so that the
  // driver can tell "nothing came back" from "still working".
  function afterSend() {
    const now = performance.now();
    const signature = activitySignature();
    if (signature !== lastSignature) {
      lastSignature = signature;
      lastChange = now;
    }
    const quiet = Math.round(now - lastChange);
    const answer = JobSwipe.outcome();
    if (answer.state !== 'pending') return { ...answer, fields: answer.state === 'errors' ? invalidFields() : [], quiet_ms: quiet };
    const fields = invalidFields();
    const errors = sentAt === null ? visibleErrors() : newErrors();
    if (errors.length > 0 || fields.length > 0) {
      return { state: 'errors', errors: errors.length > 0 ? errors : fields, fields, quiet_ms: quiet };
    }
    return { state: 'pending', quiet_ms: quiet };
  }

  return { posting, openApplication, review, next, afterNext, send, afterSend };
})();
