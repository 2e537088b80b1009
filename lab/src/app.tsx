/**
 * The lab's shell: the panel tabs, the language switch and the footer that says what the worker
 * computes on. Which panel is open and the language live in the URL (see state/url_state.ts).
 */
import { useEffect, useState } from 'preact/hooks';
import { COMMON } from './i18n/common';
import { initialLang, type Lang, LangContext, rememberLang } from './i18n/lang';
import { PANEL_TITLES, PANELS, type PanelId } from './panels';
import { useBackendStatus } from './state/backend_status';
import { readRoute, writeRoute } from './state/url_state';

function currentPanel(): PanelId {
  const id = readRoute().panel;
  return (PANELS.some((p) => p.id === id) ? id : 'paths') as PanelId;
}

function useRoute(): [PanelId, (id: PanelId) => void] {
  const [panel, setPanel] = useState(currentPanel);
  useEffect(() => {
    const onHash = () => setPanel(currentPanel());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const open = (id: PanelId) => {
    const lang = readRoute().params.get('lang');
    location.hash = `#/${id}${lang ? `?lang=${lang}` : ''}`;
  };
  return [panel, open];
}

function useLangState(): [Lang, (lang: Lang) => void] {
  const [lang, setLang] = useState(() => initialLang(readRoute().params.get('lang')));
  useEffect(() => {
    rememberLang(lang);
    const route = readRoute();
    route.params.set('lang', lang);
    writeRoute(route);
  }, [lang]);
  return [lang, setLang];
}

function Footer({ lang }: { lang: Lang }) {
  const info = useBackendStatus();
  const t = COMMON[lang];
  if (!info) return <footer class="footer">{t.working}</footer>;
  const threads =
    info.threads > 1 ? `${info.threads} ${t.threads}` : `${t.noThreads}${info.note ? ` (${info.note})` : ''}`;
  return (
    <footer class="footer" data-testid="backend-status">
      {t.backend}: {info.name === 'wasm' ? 'WebAssembly' : info.name}, {threads}
    </footer>
  );
}

export function App() {
  const [panel, open] = useRoute();
  const [lang, setLang] = useLangState();
  const Panel = PANELS.find((p) => p.id === panel)!.component;
  return (
    <LangContext.Provider value={lang}>
      <header class="header">
        <h1>{COMMON[lang].title}</h1>
        <nav aria-label="panels">
          {PANELS.map((p) => (
            <a
              key={p.id}
              href={`#/${p.id}?lang=${lang}`}
              aria-current={p.id === panel ? 'page' : undefined}
              data-testid={`tab-${p.id}`}
              onClick={(e) => {
                e.preventDefault();
                open(p.id as PanelId);
              }}
            >
              {PANEL_TITLES[lang][p.id as PanelId]}
            </a>
          ))}
        </nav>
        <button
          type="button"
          class="lang-switch"
          data-testid="lang-switch"
          aria-label={COMMON[lang].language}
          onClick={() => setLang(lang === 'en' ? 'zh' : 'en')}
        >
          {lang === 'en' ? '中文' : 'English'}
        </button>
      </header>
      <main class="panel" key={panel} data-panel={panel}>
        <Panel />
      </main>
      <Footer lang={lang} />
    </LangContext.Provider>
  );
}
