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

  // "(required)" as the languages we serve write it (German, French,
  // Spanish, Dutch, Swedish, Italian besides English), diacritics folded.
  const REQUIRED_WORDS = 'required|mandatory|obligatory|erforderlich|pflicht|pflichtfeld|pflichtangabe|obligatoire|requis'
    + '|obligatorio|requerido|obligatorisch|verplicht|obligatorisk|obligatoriskt|kravs|obbligatorio|richiesto';
  const OPTIONAL_WORDS = 'optional|freiwillig|optionnel|facultatif|opcional|optioneel|valfritt|valfri|facoltativo';
  // Marks on a question, not part of it.
  const REQUIRED_OR_OPTIONAL = new RegExp(`\\((${REQUIRED_WORDS}|${OPTIONAL_WORDS})\\)|[*✱＊]`, 'g');

  function normalise(text) {
    return String(text || '')
      .toLowerCase()
      .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
      .replace(REQUIRED_OR_OPTIONAL, ' ')
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

  const REQUIRED_MARK = new RegExp(`(^|\\s)[*✱＊](\\s|:|$)|[*✱＊]\\s*:?\\s*$|\\((${REQUIRED_WORDS})\\)|\\b(${REQUIRED_WORDS})\\s*$`, 'i');

  // Whether a label, as the page shows it, marks its question required: an
  // asterisk at its end or standing alone, or "(required)" in one of our
  // languages (diacritics folded: "krävs" is "kravs").
  function hasRequiredMark(rawText) {
    const text = String(rawText || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    return REQUIRED_MARK.test(text);
  }

  function cleanLabel(text) {
    return String(text || '').replace(/\s+/g, ' ').replace(/\s*[*✱＊]?\s*:?\s*$/, '').replace(/\s*[*✱＊]\s*$/, '').trim();
  }

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

  // Yes and no in our languages (normalised: "sí" is "si", "sì" is "si").
  const YES = /^(yes|y|true|oui|ja|jawohl|si|yes i)\b/;
  const NO = /^(no|n|false|non|nein|nee|nej)\b/;
  // A sentence that says no: "I will not now or in the future require
  // sponsorship", "Ich benötige kein Visum".
  const NEGATION = /\b(not|no|never|don t|dont|won t|wont|cannot|can t|isn t|aren t|doesn t|nicht|kein|keine|keinen|pas|jamais|aucun|nunca|ningun|niet|geen|nooit|inte|ej|aldrig|ingen|non|mai)\b/;
  const DECLINE = /decline|prefer not|don ?t wish|do not wish|not to (say|answer|disclose|self identify)|rather not|keine angabe|ne souhaite pas|prefiero no|zeg ik liever niet|vill inte uppge|preferisco non/;
  // "Select...", "Please choose", "--": what a select shows before a choice.
  const PLACEHOLDER = /^(select|choose|pick|please (select|choose)|select one|none selected|bitte (aus)?wahlen|auswahlen|selectionnez|selectionner|choisissez|choisir|seleccione|selecciona|elige|selecteer|kies|valj|seleziona|scegli)\b/;

  function isPlaceholder(candidate) {
    return !candidate.text.replace(/[^a-z0-9]/g, '') || PLACEHOLDER.test(candidate.text);
  }

  // Whether an option answers yes (1), no (-1) or cannot tell (0): by its
  // first word, else (when @bySentence) by whether the sentence negates.
  function polarity(text, bySentence) {
    if (YES.test(text)) return 1;
    if (NO.test(text)) return -1;
    if (!bySentence || DECLINE.test(text)) return 0;
    return NEGATION.test(text) ? -1 : 1;
  }

  // A yes or no answer against options that say yes or no, in words or in
  // sentences. Not applicable (null) to other answers.
  function matchByPolarity(candidates, want) {
    const wanted = polarity(want, false);
    if (wanted === 0) return null;
    const byWord = candidates.some((c) => polarity(c.text, false) !== 0);
    return candidates.filter((c) => polarity(c.text, !byWord) === wanted);
  }

  // The range of numbers an option stands for: "3-5 years", "3 to 5",
  // "6+", "10 or more", "More than 10", "Less than 1", "5".
  function numberRange(raw) {
    const t = String(raw).toLowerCase();
    const n = '(\\d+(?:\\.\\d+)?)';
    let m;
    if ((m = new RegExp(`${n}\\s*(?:-|–|—|to|bis|à|a|tot|till|al)\\s*${n}`).exec(t))) return [Number(m[1]), Number(m[2])];
    if ((m = new RegExp(`${n}\\s*(?:\\+|or more|and (?:above|more|up)|plus)`).exec(t))) return [Number(m[1]), Infinity];
    if ((m = new RegExp(`(?:more|greater|over) than\\s*${n}`).exec(t))) return [Number(m[1]) + 1e-9, Infinity];
    if ((m = new RegExp(`(?:less|fewer) than\\s*${n}|under\\s*${n}`).exec(t))) return [-Infinity, Number(m[1] || m[2]) - 1e-9];
    if ((m = new RegExp(`^\\s*${n}\\b`).exec(t))) return [Number(m[1]), Number(m[1])];
    return null;
  }

  // A number ("5", "5 years") against options that are numbers or ranges.
  // Not applicable when either side has none.
  function matchByNumber(candidates, want) {
    const number = /^(\d+(\.\d+)?)( [a-z]+)?$/.exec(want.replace(/^(\d+) (\d+)\b/, '$1.$2'));
    if (!number) return null;
    const n = Number(number[1]);
    const ranged = candidates.map((c) => ({ c, range: numberRange(c.o.text) })).filter((r) => r.range);
    if (ranged.length === 0) return null;
    return ranged.filter((r) => n >= r.range[0] && n <= r.range[1]).map((r) => r.c);
  }

  // The answer's words inside an option, or an option's words inside the
  // answer, on word boundaries.
  function matchByWords(candidates, want) {
    const padded = ` ${want} `;
    return candidates.filter((c) => {
      const text = ` ${c.text} `;
      return (want.length > 3 && text.includes(padded)) || c.text.startsWith(want)
        || (c.text.length > 3 && padded.includes(text));
    });
  }

  // US states by their postal abbreviations, and the usual short names of
  // countries, so that "Oakland, CA" is "Oakland, California, United States".
  const PLACE_NAMES = {
    al: 'alabama', ak: 'alaska', az: 'arizona', ar: 'arkansas', ca: 'california', co: 'colorado', ct: 'connecticut',
    de: 'delaware', dc: 'district of columbia', fl: 'florida', ga: 'georgia', hi: 'hawaii', id: 'idaho', il: 'illinois',
    in: 'indiana', ia: 'iowa', ks: 'kansas', ky: 'kentucky', la: 'louisiana', me: 'maine', md: 'maryland',
    ma: 'massachusetts', mi: 'michigan', mn: 'minnesota', ms: 'mississippi', mo: 'missouri', mt: 'montana',
    ne: 'nebraska', nv: 'nevada', nh: 'new hampshire', nj: 'new jersey', nm: 'new mexico', ny: 'new york',
    nc: 'north carolina', nd: 'north dakota', oh: 'ohio', ok: 'oklahoma', or: 'oregon', pa: 'pennsylvania',
    ri: 'rhode island', sc: 'south carolina', sd: 'south dakota', tn: 'tennessee', tx: 'texas', ut: 'utah',
    vt: 'vermont', va: 'virginia', wa: 'washington', wv: 'west virginia', wi: 'wisconsin', wy: 'wyoming',
    us: 'united states', usa: 'united states', 'united states of america': 'united states', uk: 'united kingdom',
    gb: 'united kingdom', uae: 'united arab emirates',
  };

  function placeParts(text) {
    return String(text).split(/[,/]|\s[-–]\s/).map(normalise).filter(Boolean).map((p) => PLACE_NAMES[p] || p);
  }

  // A place written with commas ("Oakland, CA") against places in a
  // search service's wording: the same town, and every other part of the
  // answer among the option's parts. Not applicable to answers without
  // a comma.
  function matchByPlace(candidates, answer) {
    if (!/,/.test(answer)) return null;
    const [town, ...rest] = placeParts(answer);
    return candidates.filter((c) => {
      const parts = placeParts(c.o.text);
      return parts[0] === town && rest.every((p) => parts.includes(p));
    });
  }

  // Picks the one option that means @answer, or null: when none clearly
  // does, or when several could, a person chooses; never a guess. Tried in
  // turn: the same text or value, yes/no in words or sentences, a number
  // in a range, a place, the answer's words.
  function matchOption(options, answer) {
    const want = normalise(answer);
    if (!want) return null;
    const candidates = options.map((o) => ({ o, text: normalise(o.text), value: normalise(o.value) }))
      .filter((c) => (c.text || c.value) && !isPlaceholder(c));
    const exact = candidates.filter((c) => c.text === want || c.value === want);
    if (exact.length > 0) return exact[0].o;
    for (const found of [matchByPolarity(candidates, want), matchByNumber(candidates, want),
                         matchByPlace(candidates, answer), matchByWords(candidates, want)]) {
      if (found === null || found.length === 0) continue;
      return found.length === 1 ? found[0].o : null;
    }
    return null;
  }

  // The profile ------------------------------------------------------------

  // Well-known profile fields, recognised by their question in English,
  // German, French, Spanish, Dutch, Swedish and Italian (normalised:
  // lower case, no diacritics, "Förnamn" is "fornamn").
  const PROFILE_FIELDS = [
    ['full_name', /^(full |legal )?name$|^your name$|^name (first and last|full)|^(first and last|first last) name|^vollstandiger name|^vor ?und nach ?name|^nom complet|^(prenom et nom|nom et prenom)|^nombre completo|^nombre y apellidos?|^(volledige )?naam$|^voor ?en achternaam|^(fullstandigt )?namn$|^for ?och efternamn|^nome (e )?(completo|cognome)$/],
    ['first_name', /^(legal )?(first|given|fore) ?name|^first$|^prenom|^vorname|^nombre( de pila)?$|^voornaam|^fornamn|^nome$/],
    ['last_name', /^(legal )?(last|family|sur) ?name|^surname|^last$|^nachname|^familienname|^nom( de famille)?$|^apellidos?|^achternaam|^efternamn|^cognome/],
    ['email', /\be ?mail|^courriel|(adresse|courrier) electronique|correo( electronico)?|^e ?post|posta elettronica/],
    ['phone', /phone|mobil|\bcell\b|telefon|telefoon|\bhandy|movil|celular|cellulare|mobiel|portable/],
    ['linkedin_url', /linkedin/],
    ['github_url', /github/],
    ['website_url', /website|portfolio|personal (site|url)|other url|^webseite|^site (web|internet)|^sitio web|^pagina web|^sito web|^webbplats|^hemsida/],
    ['location', /^(current )?location|^city|where (are you|do you) (based|live|located)|^address$|^wohnort|^standort|^(lieu de residence|ville)|^ciudad|^ubicacion|^localidad|^woonplaats|^plaats|^(huidige )?locatie|^(bo)?stad$|^stadt|^localisation|^ort$|^ort stad|^citta|^localita|^luogo di residenza/],
    ['current_company', /current (company|employer|organi[sz]ation)|^company$|^employer$|aktuelle[rn]? (arbeitgeber|firma|unternehmen)|^entreprise actuelle|^employeur actuel|^empresa actual|^huidige (werkgever|organisatie)|^nuvarande (arbetsgivare|foretag)|^azienda attuale|^datore di lavoro attuale/],
    ['current_title', /current (job )?(title|role|position)|^job title$|^title$|aktuelle (position|berufsbezeichnung|stelle)|^jobtitel|^poste actuel|^intitule du poste|^puesto actual|^cargo actual|^huidige functie|^functietitel|^nuvarande (titel|roll|befattning)|^ruolo attuale|^posizione attuale/],
    ['cover_letter', /cover letter|additional information|anything else (you|we)|why do you want|message to (the )?hiring|^motivation|^motivatie|^motivazione|^motivacion|anschreiben|motivationsschreiben|lettre de motivation|carta de presentacion|motivatiebrief|sollicitatiebrief|personligt brev|lettera di presentazione/],
  ];

  // Well-known saved answers (PROTOCOL.md), recognised by their question.
  const ANSWER_KEYS = [
    ['requires_sponsorship', /sponsor|visumsponsoring|parrainage|patrocinio/],
    ['work_authorization', /authori[sz]ed to work|right to work|eligible to work|work permit|legally (able|allowed)|arbeitserlaubnis|arbeitsberechtigung|autorisation de travail|autorise a travailler|permiso de trabajo|autorizad[oa] para trabajar|werkvergunning|arbetstillstand|permesso di lavoro/],
    ['salary_expectation', /salary|compensation|expected (pay|rate)|pay expectation|gehalt|salaire|pretentions salariales|salario|pretension salarial|salaris|loneansprak|retribuzione|\bral\b/],
    ['notice_period', /notice period|when can you start|earliest start|start date|available to start|kundigungsfrist|eintrittstermin|preavis|preaviso|opzegtermijn|uppsagningstid|preavviso/],
    ['willing_to_relocate', /relocat|umzug|umzuziehen|demenager|reubica|trasladarte|verhuizen|flytta|trasferir/],
    ['how_did_you_hear', /how did you (hear|find|learn)|where did you (hear|find|see)|referr?al source|^source$|aufmerksam geworden|comment avez vous (entendu|connu|decouvert)|como (te|se) (enteraste|entero)|hoe (heb je|ben je)|hur (hittade|fick du)|come (hai|ha) saputo/],
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

  // A rewording adds or drops words on one side only: "Years of experience
  // with C" and "How many years of experience do you have with C?" are the
  // same question, "... with Python" is another (each side has a word the
  // other lacks), however many words they share.
  function isRewording(a, b) {
    const x = new Set(words(a));
    const y = new Set(words(b));
    return [...x].every((w) => y.has(w)) || [...y].every((w) => x.has(w));
  }

  // The saved answer to a question: by exact normalised text, then by the
  // closest rewording, then by a well-known key. Never a default: numbers
  // such as years of experience come only from here.
  function savedAnswer(profile, question) {
    const answers = profile.answers || {};
    const want = normalise(question);
    let best = null;
    let bestScore = 0;
    for (const [key, value] of Object.entries(answers)) {
      if (typeof value !== 'string' || value === '') continue;
      if (normalise(key) === want) return value;
      const score = similarity(key, question);
      if (score > bestScore && isRewording(key, question)) { best = value; bestScore = score; }
    }
    if (bestScore >= 0.6) return best;
    for (const [key, pattern] of ANSWER_KEYS) {
      if (pattern.test(want) && typeof answers[key] === 'string' && answers[key] !== '') return answers[key];
    }
    return null;
  }

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

  const YES_NO_BUTTON = /^(yes|no|ja|nein|oui|non|si|nee|nej)$/;

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

  // Check boxes that are not questions: a consent the application needs
  // (to the processing of its data, to the terms, that what was given is
  // true), and opt-ins that are the person's own choice (newsletters, talent
  // pools, job alerts, marketing, other positions). An opt-in wins: "I agree
  // to be contacted about future positions" is one.
  const OPT_IN = new RegExp([
    'newsletter', 'job ?alert', 'talent ?(pool|community|network)', 'marketing', 'promotional', 'subscribe',
    '\\bsms\\b', 'text messages', 'whatsapp',
    '(future|other|similar|new) (job|position|role|opportunit|opening|vacanc)', 'keep (me|my (details|data|information|profile))',
    'contact me about', 'news (and updates )?from', '^follow .*(stay up to date|their page|updates)', 'updates about (new|future)', 'mailing list', 'stay in touch|keep in touch',
    'receive (updates|news|offers|information about (new|other|future))',
    'jobbnotis', 'jobagent', 'kunftige|zukunftige|weitere stellen|andere stellen|ahnliche stellen|talentpool|stellenangebote per',
    'offres? (d emploi )?futures?|autres (postes|offres|opportunites)|vivier|alertes?',
    'futuras (ofertas|vacantes|oportunidades)|otras (ofertas|vacantes)|(futuros|otros) procesos|alertas? de empleo',
    'toekomstige (vacatures|functies)|(nieuwe|andere) vacatures|vacature ?alert|op de hoogte',
    'framtida (tjanster|jobb|rekrytering)|andra (tjanster|jobb)',
    'future (opportunita|posizioni|offerte|selezioni)|altre (posizioni|opportunita|selezioni)',
  ].join('|'));
  const CONSENT_VERB = /\b(agree|consent|accept|acknowledge|confirm|certify|authori[sz]e|have read|understood|gelesen|j ai lu|he leido|gelezen|har last|tagit del|ho letto|stimme|einverstanden|einwillig|akzeptiere|bestatige|accepte|consens|autorise|certifie|acepto|consiento|autorizo|confirmo|akkoord|ga akkoord|toestemming|bevestig|godkanner|samtycker|samtycke|accetto|acconsento|autorizzo|confermo|dichiaro)/;
  const CONSENT_OBJECT = /\b(data|privacy|personal|process|terms|policy|gdpr|dsgvo|rgpd|avg|information (provided|given|is)|true|accurate|datenschutz|daten|donnees|confidentialite|datos|privacidad|gegevens|personuppgift|integritet|dati|trattamento)/;

  function checkboxPurpose(question) {
    const text = normalise(`${question.label} ${labelOfChoice(question.els[0])}`);
    if (OPT_IN.test(text)) return 'opt-in';
    if (CONSENT_VERB.test(text) && CONSENT_OBJECT.test(text)) return 'consent';
    return null;
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
    const text = normalise(question.label);
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
        // Beside a country-code select the number goes in without its country.
        const answer = field === 'phone' && form && form.phoneCountry && parts ? parts.national : profileValue(profile, field);
        return { kind: 'profile', field, answer };
      }
    }
    return { kind: 'answer', answer: saved };
  }

  const RESUME = /resume|\bcv\b|curriculum|lebenslauf|hoja de vida|levensloop|meritforteckning/;
  const OTHER_FILE = /cover letter|anschreiben|lettre de motivation|carta de presentacion|motivatiebrief|personligt brev|lettera di presentazione|portfolio|transcript|certificate|zeugnis/;

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
    fillWaitsEnd = performance.now() + FILL_WAIT_BUDGET_MS;
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
  // choice, not the page's); a required consent is ticked unless the
  // profile says consent_to_required_terms: false. Returns 'filled',
  // 'missing' (the person has to decide) or null (nothing to report).
  function settleCheckbox(question, purpose, profile) {
    const [box] = question.els;
    if (purpose === 'opt-in') {
      if (box.checked) click(box);
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
})();
