// The docent's console: sign in with the PIN, then poll the exhibit's state once a second
// and post commands. Everything the snapshot names is set as text, never as HTML.
'use strict';

const $ = (id) => document.getElementById(id);
let city = null;
let state = null;
let poll = null;
// A message for the docent (a refused command), shown until `until` (ms).
let notice = { text: '', until: 0 };
const thumbSerials = [];

async function get(path) {
  return fetch(path, { credentials: 'same-origin', cache: 'no-store' });
}

async function post(path, body) {
  return fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { 'Content-Type': 'application/json', 'X-Citygrid': '1' },
    body: JSON.stringify(body),
  });
}

function bilingual(zh, en) {
  const span = document.createElement('span');
  span.textContent = zh;
  if (en && en !== zh) {
    const small = document.createElement('small');
    small.textContent = ' ' + en;
    span.appendChild(small);
  }
  return span;
}

function button(zh, en, onclick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.appendChild(bilingual(zh, en));
  b.addEventListener('click', onclick);
  return b;
}

function showLogin(message) {
  if (poll) { clearInterval(poll); poll = null; }
  city = null;
  state = null;
  $('console').hidden = true;
  $('login').hidden = false;
  $('login-msg').textContent = message || '';
  $('pin').value = '';
  $('pin').focus();
}

function tell(text) {
  notice = { text, until: Date.now() + 6000 };
  if (state) render();
}

async function send(command) {
  let r;
  try { r = await post('/api/command', command); } catch (e) {
    tell('连接不上展项 · Cannot reach the exhibit');
    return;
  }
  if (r.status === 401) { showLogin('登录已结束，请重新登录 · Session ended: sign in again'); return; }
  if (!r.ok) {
    let why = r.status;
    try { why = (await r.json()).error; } catch (e) { /* no body */ }
    tell('未执行 · Not done: ' + why);
    return;
  }
  refresh();
}

function regionById(id) {
  return city && city.regions.find((r) => r.id === id);
}

function renderRegions() {
  const crumbs = $('crumbs');
  crumbs.replaceChildren();
  state.path.forEach((p, i) => {
    if (i > 0) crumbs.appendChild(document.createTextNode('›'));
    crumbs.appendChild(button(p.name, '', () => send({ do: 'focus', id: p.id })));
  });
  const children = $('children');
  children.replaceChildren();
  const here = state.focus.id;
  const below = city.regions.filter((r) => r.parent === here);
  for (const r of below) {
    const b = button(r.name, r.name_en, () => send({ do: 'focus', id: r.id }));
    b.dataset.id = r.id;
    children.appendChild(b);
  }
  $('back').disabled = state.focus.level === 'district';
}

function renderStories() {
  const now = state.story;
  $('story-now').hidden = !now;
  if (now) {
    $('story-title').textContent = now.title + (now.title_en ? ' · ' + now.title_en : '');
    $('story-step').textContent = `第 ${now.step + 1} / ${now.steps} 步 · step ${now.step + 1} of ${now.steps}: ${now.caption}`;
    $('prev').disabled = now.step === 0;
    $('next').disabled = now.step + 1 >= now.steps;
  }
  const list = $('stories');
  if (list.dataset.data !== city.data) {
    list.replaceChildren();
    for (const s of city.stories) {
      const b = button(s.title, s.title_en, () => send({ do: 'story_start', id: s.id }));
      b.dataset.id = s.id;
      list.appendChild(b);
    }
    if (!city.stories.length) list.textContent = '此数据无故事 · No stories in this snapshot';
    list.dataset.data = city.data;
  }
  for (const b of list.querySelectorAll('button')) {
    b.setAttribute('aria-pressed', String(!!now && now.id === b.dataset.id));
  }
}

function renderSeg(id, value) {
  for (const b of $(id).querySelectorAll('button')) {
    b.setAttribute('aria-pressed', String(b.dataset.value === value));
  }
}

function renderThumbs() {
  const box = $('thumbs');
  state.thumbs.forEach((t, i) => {
    let fig = box.children[i];
    if (!fig) {
      fig = document.createElement('figure');
      const img = document.createElement('img');
      img.alt = t.name;
      fig.appendChild(img);
      fig.appendChild(document.createElement('figcaption'));
      box.appendChild(fig);
    }
    fig.querySelector('figcaption').textContent = t.name;
    if (t.serial && thumbSerials[i] !== t.serial) {
      thumbSerials[i] = t.serial;
      // The new picture replaces the old one once it has loaded: swapping `src` would
      // collapse the figure while it loads and move every button under the docent's finger.
      const next = document.createElement('img');
      next.alt = t.name;
      next.onload = () => {
        const old = fig.querySelector('img');
        if (old && thumbSerials[i] === t.serial) fig.replaceChild(next, old);
      };
      next.src = `/api/thumb/${i}?s=${t.serial}`;
    }
  });
  while (box.children.length > state.thumbs.length) box.lastChild.remove();
  const f = state.followers;
  $('followers').textContent = f.length
    ? `跟随的展项 · Following this one: ${f.join(', ')}`
    : '没有跟随的展项 · No other exhibit follows this one';
}

function render() {
  const f = state.focus;
  $('now-focus').textContent = f.name + (f.name_en ? ' · ' + f.name_en : '');
  const mode = [
    !state.screens ? '熄屏 · screens off'
      : state.attract ? '导览中 · attract tour'
        : state.story ? '讲故事 · story' : '讲解中 · exploring',
    state.lang === 'zh' ? '中文' : 'English',
  ];
  $('now-mode').textContent = mode.join(' · ');
  const notes = [];
  if (state.curator) notes.push('馆员模式打开中，暂不能操作 · Curator mode is open: commands are refused until it closes');
  if (!state.screens) notes.push('屏幕已熄灭 · The screens are off');
  if (notice.until > Date.now()) notes.push(notice.text);
  const banner = $('banner');
  banner.hidden = notes.length === 0;
  banner.textContent = notes.join(' — ');
  renderSeg('lang', state.lang);
  renderSeg('view', state.view);
  renderSeg('attract', state.attract ? '1' : '0');
  renderSeg('screens', state.screens ? '1' : '0');
  renderRegions();
  renderStories();
  renderThumbs();
}

async function refresh() {
  let r;
  try { r = await get('/api/state'); } catch (e) {
    $('now-mode').textContent = '连接中断 · No connection to the exhibit';
    return;
  }
  if (r.status === 401) {
    showLogin(state ? '登录已结束，请重新登录 · Session ended: sign in again' : '');
    return;
  }
  if (!r.ok) return;
  state = await r.json();
  if (!city || city.data !== state.data) {
    const c = await get('/api/city');
    if (!c.ok) return;
    city = await c.json();
  }
  render();
}

function startPolling() {
  if (!poll) poll = setInterval(refresh, 1000);
}

function showConsole() {
  $('login').hidden = true;
  $('console').hidden = false;
  refresh();
  startPolling();
}

// A hidden page (tablet asleep, another tab) stops asking: the exhibit then no longer
// takes thumbnails for it, and the docent's hold on the hall ends.
document.addEventListener('visibilitychange', () => {
  if (document.hidden) {
    if (poll) { clearInterval(poll); poll = null; }
  } else if (!$('console').hidden) {
    refresh();
    startPolling();
  }
});

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const pin = $('pin').value;
  $('pin').value = '';
  $('login-msg').textContent = '';
  const r = await post('/api/login', { pin });
  if (r.ok) { showConsole(); return; }
  let body = {};
  try { body = await r.json(); } catch (err) { /* no body */ }
  if (body.error === 'wrong') {
    $('login-msg').textContent = `PIN 不对，还可尝试 ${body.left} 次 · Wrong PIN, ${body.left} tries left`;
  } else if (body.error === 'locked') {
    const min = Math.ceil(body.seconds / 60);
    $('login-msg').textContent = `尝试次数过多，请 ${min} 分钟后再试 · Too many tries: wait ${min} min`;
  } else {
    $('login-msg').textContent = '无法登录 · Cannot sign in: ' + (body.error || r.status);
  }
});

$('logout').addEventListener('click', async () => {
  await post('/api/logout', {});
  showLogin('已退出 · Signed out');
});
$('district').addEventListener('click', () => send({ do: 'focus', id: 'district' }));
$('back').addEventListener('click', () => send({ do: 'back' }));
$('prev').addEventListener('click', () => send({ do: 'story_step', delta: -1 }));
$('next').addEventListener('click', () => send({ do: 'story_step', delta: 1 }));
$('end').addEventListener('click', () => send({ do: 'story_end' }));
for (const b of $('lang').querySelectorAll('button')) {
  b.addEventListener('click', () => send({ do: 'lang', value: b.dataset.value }));
}
for (const b of $('view').querySelectorAll('button')) {
  b.addEventListener('click', () => send({ do: 'view', value: b.dataset.value }));
}
for (const b of $('attract').querySelectorAll('button')) {
  b.addEventListener('click', () => send({ do: 'attract', on: b.dataset.value === '1' }));
}
for (const b of $('screens').querySelectorAll('button')) {
  b.addEventListener('click', () => {
    const on = b.dataset.value === '1';
    if (!on && !window.confirm('熄灭展厅所有屏幕？ · Turn every screen of the hall off?')) return;
    send({ do: 'screens', on });
  });
}

get('/api/state').then((r) => (r.status === 401 ? showLogin('') : showConsole()),
  () => showLogin('连接不上展项 · Cannot reach the exhibit'));
