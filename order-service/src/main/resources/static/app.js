// pedidos web page: places orders (POST /orders) and shows them live from the journey view
// (GET /orders, GET /orders/{id}) and its Server-Sent Events (GET /orders/stream). Plain JS, no build.
'use strict';
(() => {
  const $ = (selector, root = document) => root.querySelector(selector);
  const MAX_LISTED = 200;
  /** orderId -> {summary, status, element} */
  const orders = new Map();
  /** orderId -> Map(step key -> step), the steps seen from GET /orders/{id} and from the stream */
  const steps = new Map();
  /** orderId -> number of steps received from the stream (read by the browser test) */
  const streamed = new Map();
  let selected = null;
  let selectedOrder = null;
  let source = null;
  let lastEventId = null;
  let paused = false;

  // ---------- the form ----------
  const form = $('#order-form');
  const itemsBox = $('#items');

  function addItem(values) {
    const item = $('#item-template').content.firstElementChild.cloneNode(true);
    if (values) {
      for (const [part, value] of Object.entries(values)) item.querySelector(`[data-part="${part}"]`).value = value;
    }
    item.querySelector('.remove').addEventListener('click', () => {
      if (itemsBox.children.length > 1) { item.remove(); numberItems(); }
    });
    itemsBox.append(item);
    numberItems();
  }

  /** Gives each item's inputs ids, labels and data-field paths (items[0].quantity) as in the API's errors. */
  function numberItems() {
    [...itemsBox.children].forEach((item, index) => {
      item.setAttribute('aria-label', `Item ${index + 1}`);
      item.querySelectorAll('.field').forEach(field => {
        const input = field.querySelector('input');
        const part = input.dataset.part;
        const id = `item-${index}-${part}`;
        input.id = id;
        input.name = `items[${index}].${part}`;
        input.dataset.field = `items[${index}].${part}`;
        field.querySelector('label').htmlFor = id;
        const error = field.querySelector('.field-error');
        error.id = `${id}-error`;
        error.dataset.errorFor = input.dataset.field;
        input.setAttribute('aria-describedby', error.id);
      });
      item.querySelector('.remove').setAttribute('aria-label', `Remove item ${index + 1}`);
    });
  }

  function orderFromForm() {
    const value = id => $(id).value.trim();
    const customer = { name: value('#customer-name'), email: value('#customer-email') };
    if (value('#customer-id')) customer.id = value('#customer-id');
    const items = [...itemsBox.children].map(item => {
      const part = name => item.querySelector(`[data-part="${name}"]`).value.trim();
      return { sku: part('sku'), name: part('name'), quantity: numberOrText(part('quantity')), unitPrice: numberOrText(part('unitPrice')) };
    });
    return { customer, items, currency: value('#currency').toUpperCase() || undefined };
  }

  /** A number where the text is one, so that the API, not the page, judges the value. */
  function numberOrText(text) {
    if (text === '') return null;
    return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  }

  function clearErrors() {
    form.querySelectorAll('[aria-invalid="true"]').forEach(input => input.removeAttribute('aria-invalid'));
    form.querySelectorAll('.field-error').forEach(error => { error.textContent = ''; });
  }

  /** Marks the input named by a problem's {field, message}; the message goes next to it. */
  function markField(field, message) {
    const input = form.querySelector(`[data-field="${CSS.escape(field)}"]`);
    const error = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    if (input) input.setAttribute('aria-invalid', 'true');
    if (error) {
      error.textContent = error.textContent ? `${error.textContent}; ${message}` : message;
      return true;
    }
    return false;
  }

  function showResult(element, text, kind) {
    element.textContent = text;
    element.className = `result ${kind || ''}`;
  }

  async function post(order) {
    const response = await fetch('orders', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(order)
    });
    const type = response.headers.get('Content-Type') || '';
    const body = type.includes('json') ? await response.json() : null;
    return { status: response.status, body };
  }

  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors();
    const button = $('#submit-order');
    button.disabled = true;
    const result = $('#form-result');
    showResult(result, 'Sending…');
    try {
      const order = orderFromForm();
      const { status, body } = await post(order);
      if (status === 202) {
        showResult(result, `Order ${body.orderId} accepted (${formatMoney(body.totalAmount, body.currency)}).`, 'ok');
        remember({ orderId: body.orderId, status: body.status || 'ACCEPTED', customerName: order.customer.name,
          totalAmount: body.totalAmount, currency: body.currency, acceptedAt: new Date().toISOString() });
        select(body.orderId);
      } else if (body && Array.isArray(body.errors)) {
        const unplaced = body.errors.filter(error => !markField(error.field, error.message));
        const rest = unplaced.map(error => `${error.field}: ${error.message}`).join('; ');
        showResult(result, `${body.title || 'Refused'}: ${body.detail || ''}${rest ? ' ' + rest : ''}`, 'error');
        const first = form.querySelector('[aria-invalid="true"]');
        if (first) first.focus();
      } else {
        showResult(result, `Refused (HTTP ${status})${body && body.detail ? ': ' + body.detail : ''}`, 'error');
      }
    } catch (failure) {
      showResult(result, `Could not reach order-service: ${failure.message}`, 'error');
    } finally {
      button.disabled = false;
    }
  });

  // ---------- "send 100 orders" ----------
  const PRODUCTS = [['CAFE-500G', 'Café torrado 500 g', 24.90], ['FILTRO-103', 'Filtro de papel 103', 7.50],
    ['CANECA-01', 'Caneca de cerâmica', 39.00], ['ACUCAR-1K', 'Açúcar demerara 1 kg', 8.75], ['MOEDOR-M', 'Moedor manual', 129.90]];
  const NAMES = ['Ana Souza', 'Bruno Lima', 'Carla Dias', 'Diego Alves', 'Elisa Rocha', 'Fábio Nunes', 'Gabriela Melo'];

  function randomOrder(n) {
    const pick = list => list[Math.floor(Math.random() * list.length)];
    const name = pick(NAMES);
    const count = 1 + Math.floor(Math.random() * 3);
    const items = [];
    for (let i = 0; i < count; i++) {
      const [sku, product, price] = PRODUCTS[(n + i) % PRODUCTS.length];
      items.push({ sku, name: product, quantity: 1 + Math.floor(Math.random() * 4), unitPrice: price });
    }
    const email = `${name.split(' ')[0].normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase()}.${n}@example.com`;
    return { customer: { name, email }, items, currency: 'BRL' };
  }

  $('#send-100').addEventListener('click', async () => {
    const button = $('#send-100');
    const result = $('#load-result');
    button.disabled = true;
    const total = 100, parallel = 8;
    let next = 0, accepted = 0, refused = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < total) {
        const n = next++;
        const order = randomOrder(n);
        try {
          const { status, body } = await post(order);
          if (status === 202) {
            accepted++;
            remember({ orderId: body.orderId, status: 'ACCEPTED', customerName: order.customer.name,
              totalAmount: body.totalAmount, currency: body.currency, acceptedAt: new Date().toISOString() });
          } else refused++;
        } catch (failure) { refused++; }
        showResult(result, `Load: ${accepted} accepted, ${refused} refused of ${total}…`);
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    const seconds = (performance.now() - started) / 1000;
    showResult(result, `Load: ${accepted} accepted, ${refused} refused of ${total} in ${seconds.toFixed(1)} s ` +
      `(${(accepted / seconds).toFixed(0)} orders/s).`, refused ? 'error' : 'ok');
    button.disabled = false;
  });

  // ---------- the list of orders ----------
  const list = $('#order-list');

  function remember(summary) {
    let entry = orders.get(summary.orderId);
    if (!entry) {
      entry = { summary, status: summary.status, element: document.createElement('li') };
      orders.set(summary.orderId, entry);
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.orderId = summary.orderId;
      button.addEventListener('click', () => select(summary.orderId));
      entry.element.append(button);
      list.prepend(entry.element);
      while (list.children.length > MAX_LISTED) {
        const last = list.lastElementChild;
        orders.delete(last.firstElementChild.dataset.orderId);
        last.remove();
      }
    } else {
      const known = Object.fromEntries(Object.entries(summary).filter(([, value]) => value !== undefined && value !== null));
      entry.summary = { ...entry.summary, ...known };
    }
    if (summary.status && rank(summary.status) >= rank(entry.status)) entry.status = summary.status;
    renderEntry(entry);
    return entry;
  }

  function renderEntry(entry) {
    const s = entry.summary;
    const button = entry.element.firstElementChild;
    button.replaceChildren(
      span('who', s.customerName || 'order'),
      statusBadge(entry.status),
      span('meta', `${s.orderId.slice(0, 8)} · ${formatMoney(s.totalAmount, s.currency)} · ${formatTime(s.acceptedAt)}`));
    button.setAttribute('aria-current', String(s.orderId === selected));
    button.setAttribute('aria-label', `Order ${s.orderId} of ${s.customerName || 'unknown'}, status ${entry.status}`);
  }

  /** Statuses only move forward on the page, so that a late GET never shows an older one. */
  function rank(status) {
    return { ACCEPTED: 0, INVOICED: 1, CONFIRMED: 1, COMPLETED: 2, DEAD_LETTERED: 3 }[status] ?? 0;
  }

  function statusBadge(status) {
    const badge = span(`status status-${status}`, status);
    badge.dataset.status = status;
    return badge;
  }

  function span(className, text) {
    const element = document.createElement('span');
    element.className = className;
    element.textContent = text;
    return element;
  }

  async function loadRecent() {
    try {
      const response = await fetch('orders?limit=50', { headers: { Accept: 'application/json' } });
      if (!response.ok) return;
      const page = await response.json();
      [...(page.orders || [])].reverse().forEach(summary => { if (!orders.has(summary.orderId)) remember(summary); });
    } catch (failure) { /* the stream still fills the list */ }
  }

  // ---------- the journey ----------
  async function select(orderId) {
    selected = orderId;
    orders.forEach(renderEntry);
    $('#journey').hidden = false;
    await refreshJourney(orderId);
  }

  async function refreshJourney(orderId) {
    try {
      const response = await fetch(`orders/${encodeURIComponent(orderId)}`, { headers: { Accept: 'application/json' } });
      if (response.status === 404) {
        if (selected === orderId) renderJourney(orderId, null);
        return;
      }
      if (!response.ok) return;
      const order = await response.json();
      (order.journey || []).forEach(step => keep(orderId, step));
      remember({ orderId, status: order.status, customerName: order.customer && order.customer.name,
        totalAmount: order.totalAmount, currency: order.currency, acceptedAt: order.acceptedAt });
      if (selected === orderId) { selectedOrder = order; renderJourney(orderId, order); }
    } catch (failure) { /* the stream keeps the journey going */ }
  }

  function stepKey(step) {
    return [step.stage, step.group, step.topic, step.partition, step.offset, step.stage === 'ACCEPTED' ? '' : step.at].join('|');
  }

  function keep(orderId, step) {
    if (!steps.has(orderId)) steps.set(orderId, new Map());
    const known = steps.get(orderId);
    const key = stepKey(step);
    const fresh = !known.has(key);
    known.set(key, { ...known.get(key), ...step });
    return fresh;
  }

  function renderJourney(orderId, order) {
    const entry = orders.get(orderId);
    const status = entry ? entry.status : (order && order.status) || 'ACCEPTED';
    const summary = $('#journey-summary');
    const dl = document.createElement('dl');
    const add = (term, value) => {
      if (value === undefined || value === null || value === '') return;
      const dt = document.createElement('dt'); dt.textContent = term;
      const dd = document.createElement('dd');
      if (value instanceof Node) dd.append(value); else dd.textContent = value;
      dl.append(dt, dd);
    };
    add('Order', orderId);
    add('Status', statusBadge(status));
    if (order) {
      if (order.customer) add('Customer', `${order.customer.name} <${order.customer.email}>`);
      add('Items', (order.items || []).map(i => `${i.quantity} × ${i.name} (${i.sku}) at ${formatMoney(i.unitPrice, order.currency)}`).join('; '));
      add('Total', formatMoney(order.totalAmount, order.currency));
      add('Accepted at', formatTime(order.acceptedAt));
      add('Trace ID', order.traceId);
      if (order.deadLetteredBy && order.deadLetteredBy.length) add('Dead-lettered by', order.deadLetteredBy.join(', '));
    } else {
      add('Journey', 'not in the view yet: it appears within a second of the order being accepted');
    }
    summary.replaceChildren(dl);
    $('#journey-heading').textContent = `Journey of order ${orderId.slice(0, 8)}`;

    const known = [...(steps.get(orderId) || new Map()).values()].sort((a, b) => (a.at || '').localeCompare(b.at || ''));
    const accepted = known.find(step => step.stage === 'ACCEPTED');
    const items = known.map(step => {
      const li = document.createElement('li');
      li.className = `step stage-${step.stage}`;
      li.dataset.stage = step.stage;
      const h3 = document.createElement('h3');
      h3.textContent = stageName(step.stage);
      const details = document.createElement('dl');
      const row = (term, value) => {
        if (value === undefined || value === null || value === '') return;
        const dt = document.createElement('dt'); dt.textContent = term;
        const dd = document.createElement('dd'); dd.textContent = value;
        details.append(dt, dd);
      };
      row('At', formatTime(step.at) + (accepted && step !== accepted ? ` (+${elapsed(accepted.at, step.at)})` : ''));
      row('Service', step.service);
      row('Group', step.group);
      row('Topic', step.topic);
      row('Partition', step.partition);
      row('Offset', step.offset);
      for (const [name, value] of Object.entries(step.detail || {})) {
        row(humanize(name), typeof value === 'object' && value !== null ? JSON.stringify(value) : value);
      }
      row('Trace ID', step.traceId);
      li.append(h3, details);
      return li;
    });
    $('#journey-steps').replaceChildren(...items);
  }

  function stageName(stage) {
    return { ACCEPTED: 'Accepted: in pedidos-pendentes', INVOICED: 'Invoiced by billing',
      CONFIRMATION_SENT: 'Confirmation e-mailed by notification', DEAD_LETTERED: 'Dead-lettered',
      REPLAYED: 'Replayed from the dead-letter topic' }[stage] || stage;
  }

  function humanize(name) {
    const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]/g, ' ').toLowerCase();
    return words.replace(/\bid\b/g, 'ID').replace(/^./, c => c.toUpperCase());
  }

  function elapsed(from, to) {
    const ms = Date.parse(to) - Date.parse(from);
    return Number.isFinite(ms) ? (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`) : '?';
  }

  // ---------- live updates: GET /orders/stream ----------
  /** The status the view gives an order with these steps (the view's own rule), for events without one. */
  function statusFrom(orderId) {
    const stages = [...(steps.get(orderId) || new Map()).values()].sort((a, b) => (a.at || '').localeCompare(b.at || ''));
    const invoiced = stages.some(s => s.stage === 'INVOICED');
    const sent = stages.some(s => s.stage === 'CONFIRMATION_SENT');
    if (invoiced && sent) return 'COMPLETED';
    const last = stages.filter(s => s.stage === 'DEAD_LETTERED' || s.stage === 'REPLAYED').pop();
    if (last && last.stage === 'DEAD_LETTERED') return 'DEAD_LETTERED';
    if (invoiced) return 'INVOICED';
    if (sent) return 'CONFIRMED';
    return 'ACCEPTED';
  }

  function onStep(event) {
    lastEventId = event.lastEventId;
    document.body.dataset.lastEventId = lastEventId;
    const step = JSON.parse(event.data);
    const orderId = step.orderId;
    streamed.set(orderId, (streamed.get(orderId) || 0) + 1);
    keep(orderId, step);
    const status = step.status || statusFrom(orderId);
    const entry = orders.get(orderId);
    if (entry) {
      if (rank(status) >= rank(entry.status)) entry.status = status;
      renderEntry(entry);
    } else {
      remember({ orderId, status, customerName: step.customerName, totalAmount: step.totalAmount,
        currency: step.currency, acceptedAt: step.stage === 'ACCEPTED' ? step.at : undefined });
      if (!step.customerName) refreshJourney(orderId);
    }
    if (selected === orderId) {
      renderJourney(orderId, selectedOrder && selectedOrder.orderId === orderId ? selectedOrder : null);
      // The order's own fields (customer, dead-lettered by) may have changed with the step: read them again, once.
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => refreshJourney(orderId), 300);
    }
  }
  let refreshTimer = null;

  function connect(after) {
    // EventSource sends Last-Event-ID by itself when it reconnects; ?lastEventId= is for a new EventSource.
    source = new EventSource(after ? `orders/stream?lastEventId=${encodeURIComponent(after)}` : 'orders/stream');
    const state = $('#connection-state');
    source.addEventListener('open', () => { state.textContent = 'connected'; });
    const mine = source;
    source.addEventListener('error', () => {
      if (mine.readyState !== EventSource.CLOSED) { state.textContent = 'reconnecting…'; return; }
      // The browser gives up after an answer other than 200 (a 503 while the view is away): try again.
      state.textContent = 'disconnected, retrying in 3 s';
      setTimeout(() => { if (source === mine && !paused) connect(lastEventId); }, 3000);
    });
    source.addEventListener('step', onStep);
  }

  // ---------- groups: lag and dead letters ----------
  async function refreshGroups() {
    try {
      const response = await fetch('groups', { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(10000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = await response.json();
      const rows = (body.groups || []).map(group => {
        const tr = document.createElement('tr');
        tr.dataset.group = group.group;
        const th = document.createElement('th'); th.scope = 'row'; th.textContent = group.group;
        const cell = (value, name) => {
          const td = document.createElement('td'); td.className = 'num'; td.dataset.value = name;
          td.textContent = value === null || value === undefined ? 'n/a' : String(value);
          return td;
        };
        tr.append(th, cell(group.lag, 'lag'), cell(group.deadLetters, 'deadLetters'));
        return tr;
      });
      $('#groups-body').replaceChildren(...rows);
    } catch (failure) {
      const tr = document.createElement('tr');
      const td = document.createElement('td'); td.colSpan = 3; td.textContent = `not available (${failure.message})`;
      tr.append(td);
      $('#groups-body').replaceChildren(tr);
    } finally {
      // The next refresh 2 s after this one ended: one request at a time, however slow the cluster answers.
      setTimeout(refreshGroups, 2000);
    }
  }

  // ---------- formatting ----------
  function formatMoney(amount, currency) {
    if (amount === undefined || amount === null) return '';
    try { return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency || 'BRL' }).format(Number(amount)); }
    catch (notACurrency) { return `${amount} ${currency || ''}`; }
  }

  function formatTime(instant) {
    if (!instant) return '';
    const date = new Date(instant);
    if (Number.isNaN(date.getTime())) return instant;
    return date.toLocaleTimeString(undefined, { hour12: false }) + '.' + String(date.getMilliseconds()).padStart(3, '0');
  }

  // ---------- start ----------
  $('#add-item').addEventListener('click', () => addItem({ sku: '', name: '', quantity: 1, unitPrice: '' }));
  addItem();
  connect(null);
  loadRecent();
  refreshGroups();

  /** For the browser test and the curious: the stream's position, a pause, and a resume from there. */
  window.pedidos = {
    lastEventId: () => lastEventId,
    streamedSteps: orderId => streamed.get(orderId) || 0,
    pauseStream: () => { paused = true; source.close(); $('#connection-state').textContent = 'paused'; },
    resumeStream: () => { paused = false; connect(lastEventId); },
  };
})();
