// matcher.js: what a question means and which answer fits it, without a page
//
// The first part of the runtime (src/engine/jsw-engine.c loads matcher.js,
// runtime-page.js, runtime-questions.js, runtime.js, flow.js, then the
// adapters, as one script). Nothing here touches the DOM, so it also runs
// alone in a plain JSCContext (src/engine/jsw-matcher.c): the app's swipe
// deck asks JobSwipeMatcher.uncovered() whether the saved answers cover a
// posting's questions before the person swipes right.
//
// What is here: reading a question's text (normalise(), required marks),
// choosing the option that means an answer (matchOption()), the person's
// saved answer to a question (savedAnswer()), and which profile field or
// well-known answer a question asks for (answerFor()). The rule is the
// engine's: never invent. No answer, or no option that clearly means it,
// is a question for the person.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

var JobSwipeMatcher = (() => {
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

  // Well-known questions whose saved answer, under whatever wording the
  // person answered them (the server's label in the app's swipe deck), is
  // the answer to every wording of them: keeping the person's data for
  // future openings (GDPR retention) is one decision, however a form puts
  // it. Not the ones above: "current salary" and "expected salary" both
  // say salary, but are two questions.
  const SAME_DECISION = [
    /retention|retain(ing)? (my|your|the|applicant s|candidate s)? ?(personal )?(data|details|information|application)|keep(ing)? (my|your) (personal )?(data|details|information) (on file|for)|(store|storing|hold|holding) (my|your) (personal )?(data|details|information) for future|aufbewahr|speicherung meiner daten|conservation de mes donnees|conserver mes donnees|conservacion de mis datos|bewaren van mijn gegevens|spara mina (personuppgifter|uppgifter)|conservazione dei (miei )?dati/,
  ];

  const EEO_FIELDS = [
    ['gender', /gender|\bsex\b/],
    // "Are you Hispanic/Latino?" asks the race answer's ethnicity (below).
    ['race', /race|ethnic|hispanic|latin[oax]/],
    ['veteran', /veteran/],
    ['disability', /disabilit/],
  ];

  const HISPANIC_QUESTION = /hispanic|latin[oax]/;
  const HISPANIC_ANSWER = /^hispanic/;

  // The self-identification answer to the question @text for @field. The
  // profile's race answers are EEO-1's, where "Hispanic or Latino" is one of
  // them: a yes/no question of ethnicity is yes for that one, no for any
  // other race, and a declined race declines it too.
  function eeoAnswer(profile, field, text) {
    const answer = (profile.eeo || {})[field];
    if (typeof answer !== 'string' || answer === '') return null;
    if (field !== 'race' || !HISPANIC_QUESTION.test(text) || /race/.test(text)) return answer;
    const race = normalise(answer);
    if (DECLINE.test(race)) return answer;
    return HISPANIC_ANSWER.test(race) ? 'Yes' : 'No';
  }

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
    for (const pattern of SAME_DECISION.filter((p) => p.test(want))) {
      const [, value] = Object.entries(answers).find(([key, v]) => typeof v === 'string' && v !== ''
                                                       && pattern.test(normalise(key))) || [];
      if (value !== undefined) return value;
    }
    return null;
  }

  // Whether the person chose to tick the opt-in @label: only when their
  // saved answer to it says yes (the swipe deck asks a required one).
  function optedIn(profile, label) {
    const answer = savedAnswer(profile, label);
    return answer !== null && YES.test(normalise(answer));
  }

  // What the profile says to the question @label, as the engine fills it:
  // {kind, field, answer}. kind 'eeo' (self-identification: the profile's
  // eeo answer, else null, and the form's "decline" option is chosen where
  // it offers one), 'answer' (a saved answer, or null), 'profile' (one of
  // the profile's own fields: field names it, answer is its value or null).
  // A saved answer wins over a profile field only for a question that is
  // not one of the profile's fields, or when the profile lacks that field. @canBeProfileField false: the control
  // cannot hold a profile field (a check box), only a saved answer.
  function answerFor(profile, label, canBeProfileField = true) {
    const text = normalise(label);
    for (const [field, pattern] of EEO_FIELDS) {
      if (pattern.test(text)) return { kind: 'eeo', field, answer: eeoAnswer(profile, field, text) };
    }
    const saved = savedAnswer(profile, label);
    const profileField = PROFILE_FIELDS.find(([, pattern]) => pattern.test(text));
    if (saved !== null && !profileField) return { kind: 'answer', field: null, answer: saved };
    // A profile without the field: the answer the person gave to this
    // question (the swipe deck saves it under the question's words).
    if (profileField && canBeProfileField) {
      return { kind: 'profile', field: profileField[0], answer: profileValue(profile, profileField[0]) ?? saved };
    }
    return { kind: 'answer', field: null, answer: saved };
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

  // 'opt-in', 'consent' or null, for a check box that says @text (its
  // question and its own label).
  function checkboxPurposeOf(text) {
    const said = normalise(text);
    if (OPT_IN.test(said)) return 'opt-in';
    if (CONSENT_VERB.test(said) && CONSENT_OBJECT.test(said)) return 'consent';
    return null;
  }

  // A choice that is only "yes" or "no" (normalised), in our languages.
  const YES_NO_BUTTON = /^(yes|no|ja|nein|oui|non|si|nee|nej)$/;

  // Files: which one is the resume, and which ask for something else.
  const RESUME = /resume|\bcv\b|curriculum|lebenslauf|hoja de vida|levensloop|meritforteckning/;
  const OTHER_FILE = /cover letter|anschreiben|lettre de motivation|carta de presentacion|motivatiebrief|personligt brev|lettera di presentazione|portfolio|transcript|certificate|zeugnis/;

  // A posting's questions ---------------------------------------------------

  function hasResume(profile) {
    return typeof profile.resume_path === 'string' && profile.resume_path !== '';
  }

  // The options of a posting's field as matchOption() takes them.
  function optionsOf(field) {
    return (Array.isArray(field.options) ? field.options : []).map((o) => (o && typeof o === 'object'
      ? { text: String(o.label ?? o.text ?? o.value ?? ''), value: String(o.value ?? o.label ?? '') }
      : { text: String(o), value: String(o) }));
  }

  // Whether the engine, given @profile, fills @field of @question the way
  // it fills the same question on the form: a check box of consent is
  // ticked unless the profile says consent_to_required_terms: false, an
  // opt-in only when the person's saved answer to it says yes; a select needs an option that means the answer (or, for
  // self-identification without one, an option that declines); a file is
  // the resume, when the profile has one.
  function coversField(profile, question, field) {
    const label = String(question.label || '');
    switch (field.type) {
      case 'hidden':
        return true;
      case 'file':
        return RESUME.test(normalise(`${label} ${field.name || ''}`)) && hasResume(profile);
      case 'boolean': {
        const purpose = checkboxPurposeOf(label);
        if (purpose === 'consent') return profile.consent_to_required_terms !== false;
        if (purpose === 'opt-in') return optedIn(profile, label);
        const { answer } = answerFor(profile, label, false);
        return answer !== null && YES.test(normalise(answer));
      }
      case 'single_select':
      case 'multi_select': {
        const what = answerFor(profile, label);
        if (what.answer !== null) return matchOption(optionsOf(field), what.answer) !== null;
        return what.kind === 'eeo' && optionsOf(field).some((o) => DECLINE.test(normalise(o.text)));
      }
      default:  // text, textarea
        return answerFor(profile, label).answer !== null;
    }
  }

  // The required questions among @questions that @profile leaves
  // unanswered, in their order: what the person would be asked before the
  // application can go. @questions are a POSTING's (docs/server.md, QUESTION:
  // {set, label, required, description, fields: [{name, type, options:
  // [{label, value}]}]}); one written {label, required, type, options} is
  // taken as a question of one field. A question is answered when one of
  // its fields is (Greenhouse's resume: a file or its text). @profile is
  // PROFILE.json as an object (answers, eeo, consent_to_required_terms,
  // resume_path and the profile's fields).
  function uncovered(profile, questions) {
    const person = profile && typeof profile === 'object' ? profile : {};
    return (Array.isArray(questions) ? questions : []).filter((question) => {
      if (!question || typeof question !== 'object' || question.required !== true) return false;
      const fields = Array.isArray(question.fields) ? question.fields
        : [{ name: question.name || '', type: question.type || 'text', options: question.options || [] }];
      return !fields.some((field) => field && coversField(person, question, field));
    });
  }

  return {
    // text
    normalise, words, similarity, hasRequiredMark, cleanLabel,
    // options
    YES, NO, DECLINE, YES_NO_BUTTON, isPlaceholder, matchOption,
    // the profile
    PROFILE_FIELDS, profileValue, savedAnswer, optedIn, answerFor, checkboxPurposeOf, RESUME, OTHER_FILE,
    // a posting's questions
    uncovered,
  };
})();
