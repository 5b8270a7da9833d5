// Lookout inbox. Everything that comes from a notification is put in the page as text (textContent) or as an
// attribute we check (links: http, https and mailto only); no string from a message is ever parsed as HTML, except
// an email's HTML body, which is shown in a sandboxed frame (no scripts, an opaque origin).
'use strict';
(() => {
  const state = { messages: new Map(), version: 0, selected: '*', runs: [], rendering: false, stream: null };
  const phases = ['Pending', 'Running', 'Successful', 'Failed', 'Error', 'Inconclusive'];
  const emoji = {
    white_check_mark: '✅', heavy_check_mark: '✔️', x: '❌', warning: '⚠️', exclamation: '❗', arrow_heading_up: '⤴️',
    rocket: '🚀', information_source: 'ℹ️', hourglass: '⌛', hourglass_flowing_sand: '⏳', bell: '🔔', fire: '🔥',
    tada: '🎉', red_circle: '🔴', large_green_circle: '🟢', large_yellow_circle: '🟡', robot_face: '🤖', robot: '🤖',
    heart: '❤️', boom: '💥', no_entry: '⛔', stop_sign: '🛑', mag: '🔍', recycle: '♻️', construction: '🚧',
    arrows_counterclockwise: '🔄', pause_button: '⏸️', arrow_forward: '▶️', skull: '💀', ghost: '👻', eyes: '👀',
    thumbsup: '👍', '+1': '👍', thumbsdown: '👎', '-1': '👎', star: '⭐', sparkles: '✨', zap: '⚡', lock: '🔒',
    rotating_light: '🚨', bangbang: '‼️', question: '❓', heavy_exclamation_mark: '❗', new: '🆕', ok: '🆗',
  };
  const colours = { good: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a' };

  // ---- DOM helpers -------------------------------------------------------------------------------------------------
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = String(value);
      else if (key === 'href') { const url = safeUrl(value); if (url) { node.href = url; node.rel = 'noopener noreferrer'; node.target = '_blank'; } }
      else if (key.startsWith('data-')) node.setAttribute(key, String(value));
      else if (key === 'id' || key === 'title' || key === 'hidden' || key === 'type') node[key] = value;
      else throw new Error('unexpected property ' + key);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  function safeUrl(value) {
    const text = String(value || '').trim();
    return /^(https?:\/\/|mailto:)/i.test(text) ? text : null;
  }
  function colour(value) {
    const c = colours[value] || String(value || '');
    if (/^#?[0-9a-f]{3,8}$/i.test(c)) return c.startsWith('#') ? c : '#' + c;
    return null;
  }
  function time(value) {
    const d = value ? new Date(value) : null;
    return d && !isNaN(d) ? d.toLocaleTimeString() : '';
  }
  function entities(text) { return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'); }
  function emojify(text) { return text.replace(/:([a-z0-9_+-]+):/g, (m, name) => emoji[name] || m); }

  // ---- Slack mrkdwn, parsed into nodes -----------------------------------------------------------------------------
  function mrkdwn(text, plain) {
    const root = el('div', { class: 'mrkdwn' });
    const source = String(text ?? '');
    if (plain) { appendLines(root, emojify(source)); return root; }
    const parts = source.split('```');
    parts.forEach((part, i) => {
      if (i % 2 === 1 && i < parts.length - 1) { root.append(el('pre', { text: entities(part.replace(/^\n/, '')) })); return; }
      const lines = part.split('\n');
      let quote = null;
      lines.forEach((line, n) => {
        const quoted = /^(>|&gt;) ?/.exec(line);
        if (quoted) {
          if (!quote) { quote = el('blockquote'); root.append(quote); } else quote.append(el('br'));
          inline(quote, line.slice(quoted[0].length));
          return;
        }
        quote = null;
        inline(root, line);
        if (n < lines.length - 1) root.append(el('br'));
      });
    });
    return root;
  }
  function appendLines(parent, text) {
    text.split('\n').forEach((line, i) => { if (i) parent.append(el('br')); parent.append(line); });
  }
  // An :emoji: code is a token of its own, so the underscores in :white_check_mark: do not read as italics.
  const inlinePattern = /(`[^`\n]+`)|(<[^<>\n]+>)|(:[a-z0-9_+-]+:)|(\*[^*\n]+\*)|(_[^_\n]+_)|(~[^~\n]+~)|(https?:\/\/[^\s<>]+)/;
  function inline(parent, text) {
    let rest = text;
    while (rest.length) {
      const m = inlinePattern.exec(rest);
      if (!m) { parent.append(emojify(entities(rest))); return; }
      if (m.index) parent.append(emojify(entities(rest.slice(0, m.index))));
      const token = m[0];
      if (m[1]) parent.append(el('code', { text: entities(token.slice(1, -1)) }));
      else if (m[2]) parent.append(special(token.slice(1, -1)));
      else if (m[3]) parent.append(emojify(token));
      else if (m[4]) { const b = el('strong'); inline(b, token.slice(1, -1)); parent.append(b); }
      else if (m[5]) { const i = el('em'); inline(i, token.slice(1, -1)); parent.append(i); }
      else if (m[6]) { const s = el('s'); inline(s, token.slice(1, -1)); parent.append(s); }
      else parent.append(el('a', { href: token, text: token }));
      rest = rest.slice(m.index + token.length);
    }
  }
  function special(body) {
    const [target, label] = [body.split('|')[0], body.split('|').slice(1).join('|')];
    if (target.startsWith('@')) return el('span', { class: 'mention', text: '@' + (label || target.slice(1)) });
    if (target.startsWith('#')) return el('span', { class: 'mention', text: '#' + (label || target.slice(1)) });
    if (target.startsWith('!')) return el('span', { class: 'mention', text: '@' + (label || target.slice(1).split('^')[0]) });
    const url = safeUrl(entities(target));
    return url ? el('a', { href: url, text: entities(label || target) }) : document.createTextNode('<' + entities(body) + '>');
  }

  // ---- messages by type ----------------------------------------------------------------------------------------------
  function slackBody(p) {
    const body = el('div');
    if (p.text) body.append(mrkdwn(p.text));
    for (const a of Array.isArray(p.attachments) ? p.attachments : []) body.append(attachment(a || {}));
    for (const b of Array.isArray(p.blocks) ? p.blocks : []) body.append(block(b || {}));
    return body;
  }
  function attachment(a) {
    const bar = el('div', { class: 'bar' });
    const c = colour(a.color);
    if (c) bar.style.background = c;
    const content = el('div', { class: 'content' });
    if (a.pretext) content.append(mrkdwn(a.pretext));
    if (a.author_name) content.append(el('div', { class: 'author-name', text: a.author_name }));
    if (a.title) content.append(el('div', { class: 'title' }, safeUrl(a.title_link) ? el('a', { href: a.title_link, text: a.title }) : a.title));
    if (a.text) content.append(mrkdwn(a.text));
    const fields = Array.isArray(a.fields) ? a.fields : [];
    if (fields.length) {
      content.append(el('div', { class: 'fields' }, fields.map(f => el('div', { class: 'field' + (f && f.short ? '' : ' long') },
        el('div', { class: 'label', text: (f && f.title) || '' }), mrkdwn((f && f.value) ?? '')))));
    }
    if (a.image_url && safeUrl(a.image_url)) content.append(el('a', { href: a.image_url, text: 'image' }));
    if (a.footer || a.ts) content.append(el('div', { class: 'footer', text: [a.footer, a.ts ? time(Number(a.ts) * 1000) : ''].filter(Boolean).join(' | ') }));
    return el('div', { class: 'attachment', 'data-color': c || '' }, bar, content);
  }
  function textObject(t) { return t && typeof t === 'object' ? mrkdwn(t.text, t.type === 'plain_text') : mrkdwn(t ?? ''); }
  function block(b) {
    switch (b.type) {
      case 'header': return el('div', { class: 'block header' }, textObject(b.text));
      case 'divider': return el('hr', { class: 'block divider' });
      case 'context': return el('div', { class: 'block context' }, (b.elements || []).map(e => e && e.type === 'image' ? el('span', { text: e.alt_text || '' }) : textObject(e)));
      case 'actions': return el('div', { class: 'block actions' }, (b.elements || []).map(e => el('a', { class: 'button', href: e && e.url, text: e && e.text ? e.text.text : '' })));
      case 'image': return el('div', { class: 'block image' }, safeUrl(b.image_url) ? el('a', { href: b.image_url, text: b.alt_text || 'image' }) : (b.alt_text || ''));
      case 'section': {
        const s = el('div', { class: 'block section' });
        if (b.text) s.append(textObject(b.text));
        if (Array.isArray(b.fields)) s.append(el('div', { class: 'fields' }, b.fields.map(f => el('div', { class: 'field' }, textObject(f)))));
        if (b.accessory && b.accessory.type === 'button') s.append(el('a', { class: 'button', href: b.accessory.url, text: b.accessory.text ? b.accessory.text.text : '' }));
        return s;
      }
      default: return el('div', { class: 'block', text: flatten(b) });
    }
  }
  function flatten(node) {
    if (node === null || node === undefined) return '';
    if (typeof node !== 'object') return '';
    if (typeof node.text === 'string') return node.text;
    return Object.values(node).map(flatten).join('');
  }
  function emailBody(p) {
    const box = el('div', { class: 'email' },
      el('div', { class: 'subject', text: p.subject || '(no subject)' }),
      el('div', { class: 'addresses', text: (p.from ? 'from ' + p.from + ' ' : '') + 'to ' + (p.to || '') }));
    if (p.html) {
      const frame = el('iframe', { title: 'email body' });
      frame.setAttribute('sandbox', '');
      frame.setAttribute('referrerpolicy', 'no-referrer');
      frame.srcdoc = String(p.body || '');
      box.append(frame);
    } else {
      box.append(el('pre', { class: 'body', text: p.body || '' }));
    }
    return box;
  }
  function teamsBody(p) {
    if (!p.card) return el('pre', { class: 'body', text: p.raw || '' });
    const card = p.card;
    if (card.type === 'message' && Array.isArray(card.attachments)) {
      return el('div', {}, card.attachments.map(a => adaptiveCard((a && a.content) || {})));
    }
    const box = el('div', { class: 'card' });
    const c = colour(card.themeColor);
    if (c) box.style.borderTopColor = c;
    if (card.title) box.append(el('div', { class: 'title', text: card.title }));
    if (card.text) box.append(mrkdwn(card.text, true));
    for (const s of Array.isArray(card.sections) ? card.sections : []) {
      if (!s) continue;
      if (s.activityTitle) box.append(el('div', { class: 'title', text: s.activityTitle }));
      if (s.text) box.append(mrkdwn(s.text, true));
      if (Array.isArray(s.facts)) box.append(facts(s.facts.map(f => [f && f.name, f && f.value])));
    }
    const actions = (Array.isArray(card.potentialAction) ? card.potentialAction : [])
      .map(a => el('a', { href: a && a.targets && a.targets[0] && a.targets[0].uri, text: (a && a.name) || 'open' }));
    if (actions.length) box.append(el('div', { class: 'actions' }, actions));
    return box;
  }
  function adaptiveCard(card) {
    const box = el('div', { class: 'card adaptive' });
    const items = (list) => (Array.isArray(list) ? list : []).map(item => {
      if (!item) return null;
      if (item.type === 'TextBlock') {
        const t = el('div', { class: item.weight === 'Bolder' || item.size === 'Large' ? 'title' : '' }, mrkdwn(item.text, true));
        return t;
      }
      if (item.type === 'FactSet') return facts((item.facts || []).map(f => [f && f.title, f && f.value]));
      if (item.type === 'Container') return el('div', {}, items(item.items));
      if (item.type === 'ColumnSet') return el('div', {}, (item.columns || []).map(c => el('div', {}, items(c && c.items))));
      return el('div', { text: flatten(item) });
    });
    box.append(...items(card.body).filter(Boolean));
    const actions = (Array.isArray(card.actions) ? card.actions : []).map(a => el('a', { href: a && a.url, text: (a && a.title) || 'open' }));
    if (actions.length) box.append(el('div', { class: 'actions' }, actions));
    return box;
  }
  function facts(rows) {
    return el('table', {}, el('tbody', {}, rows.map(([k, v]) => el('tr', {}, el('td', { text: k ?? '' }), el('td', { text: typeof v === 'string' ? v : JSON.stringify(v) })))));
  }
  function webhookBody(p) {
    let body = String(p.body ?? '');
    try { if (body.trim().startsWith('{') || body.trim().startsWith('[')) body = JSON.stringify(JSON.parse(body), null, 2); } catch { /* not JSON: shown as it is */ }
    return el('div', { class: 'webhook' },
      el('div', { class: 'request' }, el('span', { class: 'method', text: p.method || 'GET' }), el('span', { class: 'path', text: p.path || '/' })),
      (p.headers || []).length ? el('table', { class: 'headers' }, el('tbody', {}, p.headers.map(h => el('tr', {}, el('td', { text: h.name }), el('td', { class: 'header-value', text: h.value }))))) : null,
      body ? el('pre', { class: 'body', text: body }) : null);
  }
  function payloadBody(m) {
    const p = m.payload || {};
    switch (m.type) {
      case 'slack': return slackBody(p);
      case 'email': return emailBody(p);
      case 'teams': case 'teams-workflows': return teamsBody(p);
      case 'webhook': return webhookBody(p);
      default: return el('pre', { class: 'body', text: p.message || '' });
    }
  }
  function avatar(m) {
    const p = m.payload || {};
    if (m.type === 'slack') {
      const icon = p.icon_emoji ? emoji[String(p.icon_emoji).replace(/:/g, '')] : null;
      return el('div', { class: 'avatar', text: icon || (p.username || 'A').slice(0, 1).toUpperCase() });
    }
    return el('div', { class: 'avatar', text: { email: '✉', teams: 'T', 'teams-workflows': 'T', webhook: '⇄' }[m.type] || '•' });
  }
  function messageNode(m) {
    const p = m.payload || {};
    const who = m.type === 'slack' ? (p.username || 'Argo CD') : m.type === 'webhook' ? 'webhook ' + m.service : m.service;
    const node = el('article', { class: 'message', 'data-id': m.id, 'data-status': m.status, 'data-type': m.type },
      avatar(m),
      el('div', { class: 'content' },
        el('div', { class: 'meta' },
          el('span', { class: 'who', text: who }),
          el('span', { class: 'when', text: time(m.at) }),
          el('span', { class: 'about', text: [m.trigger, m.kind && m.name ? `${m.kind} ${m.namespace}/${m.name}` : ''].filter(Boolean).join(' · ') }),
          el('span', { class: 'status status-' + m.status, title: m.status === 'Recorded' ? 'no service of this name is configured: this is what it would receive' : '', text: m.status === 'Recorded' ? 'inbox' : m.status.toLowerCase() }),
          m.edits ? el('span', { class: 'edited', text: `(edited${m.edits > 1 ? ' ×' + m.edits : ''})` }) : null),
        payloadBody(m),
        m.error ? el('div', { class: 'error', text: m.error }) : null));
    return node;
  }

  // ---- destinations ----------------------------------------------------------------------------------------------
  function destinationKey(m) { return `${m.type}|${m.service}|${m.recipient}`; }
  function destinationLabel(m) {
    switch (m.type) {
      case 'slack': return (m.service === 'slack' ? '' : m.service + ' ') + '#' + (m.recipient || '(webhook)').replace(/^#/, '');
      case 'email': return m.recipient || m.service;
      case 'webhook': return m.service;
      default: return m.recipient ? `${m.service}: ${m.recipient}` : m.service;
    }
  }
  function groups() {
    const byKey = new Map();
    for (const m of [...state.messages.values()].sort((a, b) => a.id - b.id)) {
      const key = destinationKey(m);
      if (!byKey.has(key)) byKey.set(key, { key, type: m.type, label: destinationLabel(m), messages: [] });
      byKey.get(key).messages.push(m);
    }
    return [...byKey.values()];
  }
  function channelNode(g) {
    const section = el('section', { class: 'channel', 'data-destination': g.key, 'data-type': g.type },
      el('header', {}, el('span', { class: 'name', text: g.label }), el('span', { class: 'type', text: g.type })));
    const ids = new Set(g.messages.map(m => m.id));
    const replies = new Map();
    for (const m of g.messages) {
      if (m.threadOf && ids.has(m.threadOf)) {
        if (!replies.has(m.threadOf)) replies.set(m.threadOf, []);
        replies.get(m.threadOf).push(m);
      }
    }
    for (const m of g.messages) {
      if (m.threadOf && ids.has(m.threadOf)) continue;
      const node = messageNode(m);
      const thread = replies.get(m.id);
      if (thread) {
        const content = node.querySelector('.content');
        content.append(el('div', { class: 'thread-summary', text: `${thread.length} ${thread.length === 1 ? 'reply' : 'replies'} · thread ${m.groupingKey}` }));
        content.append(el('div', { class: 'thread', 'data-thread-of': m.id, 'data-grouping-key': m.groupingKey }, thread.map(messageNode)));
      }
      section.append(node);
    }
    return section;
  }
  function render() {
    state.rendering = false;
    const all = groups();
    const list = document.getElementById('destination-list');
    for (const item of [...list.querySelectorAll('li.dynamic')]) item.remove();
    for (const g of all) {
      const button = el('button', { type: 'button', class: 'destination' + (state.selected === g.key ? ' selected' : ''), 'data-key': g.key },
        el('span', { text: g.label }), el('span', { class: 'count', text: g.messages.length }));
      list.append(el('li', { class: 'dynamic' }, button));
    }
    document.getElementById('count-all').textContent = String(state.messages.size);
    for (const b of document.querySelectorAll('.destination')) b.classList.toggle('selected', b.dataset.key === state.selected);
    const main = document.getElementById('messages');
    const author = document.getElementById('author');
    main.hidden = state.selected === 'author';
    author.hidden = state.selected !== 'author';
    const shown = all.filter(g => state.selected === '*' || g.key === state.selected);
    main.replaceChildren(...(shown.length ? shown.map(channelNode) : [el('p', { id: 'empty', class: 'empty', text: 'No notifications yet. They appear here as the scenario plays.' })]));
    renderRollouts();
  }
  function schedule() {
    if (!state.rendering) { state.rendering = true; requestAnimationFrame(render); }
  }
  function receive(m) {
    state.messages.set(m.id, m);
    state.version = Math.max(state.version, m.version);
    schedule();
  }

  // ---- rollouts ----------------------------------------------------------------------------------------------------
  function phaseName(p) { return typeof p === 'number' ? phases[p] || String(p) : String(p || ''); }
  function phaseClass(p) {
    const name = phaseName(p);
    return name === 'Successful' ? 'ok' : name === 'Failed' || name === 'Error' ? 'bad' : name === 'Inconclusive' || name === 'Running' || name === 'Pending' ? 'wait' : '';
  }
  function verdict(p) {
    return { Successful: 'promote', Failed: 'abort', Error: 'abort', Inconclusive: 'inconclusive: stays paused' }[phaseName(p)] || 'running…';
  }
  function renderRollouts() {
    const rollouts = new Map();
    const add = (name, item) => { if (!rollouts.has(name)) rollouts.set(name, []); rollouts.get(name).push(item); };
    for (const m of state.messages.values()) {
      if (m.kind !== 'Rollout' || m.threadOf) continue;
      add(`${m.namespace}/${m.name}`, { at: m.at, cls: /abort|degraded|fail|error/i.test(m.trigger) ? 'bad' : /paused/i.test(m.trigger) ? 'wait' : 'ok',
        node: el('div', {}, el('strong', { text: m.trigger.replace(/^on-rollout-|^on-/, '').replace(/-/g, ' ') }), ' → ' + destinationLabel(m)) });
    }
    for (const run of state.runs) {
      const match = /^Rollout (\S+) (.*)$/.exec(run.description || '');
      const name = match ? match[1] : run.description || run.id;
      const node = el('div', {}, el('strong', { text: 'analysis ' + (match ? match[2] : '') }), ': ', el('span', { class: 'verdict', text: phaseName(run.phase) + ' → ' + verdict(run.phase) }),
        run.message ? el('div', { class: 'when', text: run.message }) : null,
        (run.metrics || []).map(metric => el('div', { class: 'metric' },
          el('span', { text: `${metric.name}: ${phaseName(metric.phase)}${metric.dryRun ? ' (dry run)' : ''}` }),
          el('div', { class: 'measurements' }, (metric.measurements || []).map(x => el('span', { class: 'measurement ' + phaseClass(x.phase), title: x.message || '', text: x.value || phaseName(x.phase) }))))));
      add(name, { at: run.startedAt, cls: phaseClass(run.phase), node });
    }
    const box = document.getElementById('rollouts');
    if (!rollouts.size) { box.replaceChildren(el('p', { class: 'empty', text: 'No Rollout activity yet.' })); return; }
    box.replaceChildren(...[...rollouts.entries()].sort().map(([name, items]) => el('div', { class: 'rollout', 'data-rollout': name },
      el('h3', { text: name }),
      el('ol', { class: 'timeline' }, items.sort((a, b) => String(a.at).localeCompare(String(b.at))).map(i => el('li', { class: i.cls }, el('div', { class: 'when', text: time(i.at) }), i.node))))));
  }
  async function pollRuns() {
    try {
      const answer = await fetch('/api/v1/runs', { cache: 'no-store' });
      if (answer.ok) { state.runs = await answer.json(); schedule(); }
    } catch { /* the next poll tries again */ }
    setTimeout(pollRuns, 2000);
  }

  // ---- transport: server-sent events, polling when they are not available ------------------------------------
  function connection(text, mode) {
    const c = document.getElementById('connection');
    c.textContent = text;
    c.dataset.state = mode;
  }
  function stream() {
    if (!window.EventSource) { poll(); return; }
    const source = new EventSource('/inbox/api/stream');
    state.stream = source;
    let failures = 0;
    source.addEventListener('open', () => { failures = 0; connection('live', 'live'); });
    source.addEventListener('message', e => { try { receive(JSON.parse(e.data)); } catch { /* a bad event is skipped */ } });
    source.addEventListener('error', () => {
      connection('reconnecting…', 'connecting');
      if (++failures >= 5) { source.close(); poll(); }
    });
  }
  async function poll() {
    connection('polling', 'polling');
    try {
      const answer = await fetch('/inbox/api/messages?since=' + state.version, { cache: 'no-store' });
      if (answer.ok) {
        const data = await answer.json();
        data.messages.forEach(receive);
        state.version = Math.max(state.version, data.version);
      }
    } catch { /* the next poll tries again */ }
    setTimeout(poll, 1000);
  }
  async function mode() {
    try {
      const answer = await fetch('/inbox/api/messages?since=' + Number.MAX_SAFE_INTEGER, { cache: 'no-store' });
      const data = await answer.json();
      document.getElementById('mode').textContent = data.defaultDestination
        ? 'embedded: services that are not configured deliver here'
        : 'configured services: what was sent, and whether it succeeded';
    } catch { /* informational only */ }
  }

  // ---- config author -------------------------------------------------------------------------------------------------
  const sample = [
    'apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'metadata:', '  name: guestbook', '  namespace: argocd',
    '  annotations:', '    notifications.argoproj.io/subscribe.on-deployed.slack: deployments', 'spec:', '  project: default',
    '  source:', '    repoURL: https://github.com/argoproj/argocd-example-apps', '    path: guestbook', '    targetRevision: HEAD',
    '  destination:', '    server: https://kubernetes.default.svc', '    namespace: guestbook', 'status:',
    '  sync:', '    status: Synced', '    revision: 4773b9f1f2f1fd2b2d71c3b3fd8b0f3a1c6e8a2d', '  health:', '    status: Healthy',
    '    lastTransitionTime: "2026-11-24T10:01:20Z"',
    '  operationState:', '    phase: Succeeded', '    finishedAt: "2026-11-24T10:01:30Z"', '    syncResult:',
    '      revision: 4773b9f1f2f1fd2b2d71c3b3fd8b0f3a1c6e8a2d', ''].join('\n');
  async function openAuthor() {
    const object = document.getElementById('author-object');
    if (!object.value) object.value = sample;
    const select = document.getElementById('author-trigger');
    if (select.options.length) return;
    try {
      const names = await (await fetch('/inbox/api/triggers', { cache: 'no-store' })).json();
      select.replaceChildren(...names.map(n => el('option', { text: n })));
      const deployed = names.indexOf('on-deployed');
      if (deployed >= 0) select.selectedIndex = deployed;
    } catch { /* the list stays empty; the preview names the problem */ }
  }
  async function preview() {
    const out = document.getElementById('author-result');
    out.replaceChildren(el('p', { class: 'empty', text: 'rendering…' }));
    let data;
    try {
      const answer = await fetch('/inbox/api/preview', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ object: document.getElementById('author-object').value, trigger: document.getElementById('author-trigger').value, config: document.getElementById('author-config').value }),
      });
      data = await answer.json();
    } catch (e) { out.replaceChildren(el('p', { class: 'errors', text: String(e) })); return; }
    const parts = [];
    if ((data.problems || []).length) parts.push(el('div', { class: 'errors' }, el('strong', { text: 'ConfigMap problems' }), el('ul', {}, data.problems.map(p => el('li', { text: p })))));
    if ((data.conditions || []).length) {
      parts.push(el('table', { class: 'conditions' }, el('tbody', {}, data.conditions.map(c =>
        el('tr', { 'data-triggered': c.triggered }, el('td', { text: c.triggered ? '✔ true' : '✘ false' }), el('td', { text: c.key }), el('td', { text: (c.templates || []).join(', ') }), el('td', { text: c.oncePer ? 'oncePer ' + c.oncePer : '' }))))));
    }
    if ((data.errors || []).length) parts.push(el('div', { class: 'errors' }, data.errors.map(e => el('div', { text: e }))));
    for (const n of data.notifications || []) {
      const section = el('section', { class: 'channel preview', 'data-template': n.template }, el('header', {}, el('span', { class: 'name', text: 'template ' + n.template }), el('span', { class: 'type', text: 'preview' })));
      for (const m of n.previews || []) section.append(el('div', { class: 'preview-destination' }, el('div', { class: 'type', text: destinationLabel(m) + ' (' + m.type + ')' }), messageNode({ ...m, id: 0, status: 'Recorded' })));
      if (n.json) section.append(el('details', {}, el('summary', { text: 'notification JSON (template notify)' }), el('pre', { class: 'body', text: JSON.stringify(n.json, null, 2) })));
      parts.push(section);
    }
    out.replaceChildren(...parts);
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.querySelector('.layout').addEventListener('click', e => {
      const button = e.target.closest('button.destination');
      if (!button) return;
      state.selected = button.dataset.key;
      if (state.selected === 'author') openAuthor();
      render();
    });
    document.getElementById('author-run').addEventListener('click', preview);
    mode();
    stream();
    pollRuns();
  });
})();
