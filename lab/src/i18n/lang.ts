/**
 * The page's language (en or zh): taken from the URL (`lang=zh`), else from the last choice
 * (localStorage), else from the browser; switching writes both. Each panel keeps its own strings in
 * `panels/<panel>/strings.ts` as `{ en: {...}, zh: {...} }` with the same keys (the type checks it).
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Lang = 'en' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'zh'];
const STORAGE_KEY = 'descent-lab-lang';

/** A string table in both languages; `zh` must have every key of `en`. */
export type Strings<K extends string> = { en: Record<K, string>; zh: Record<K, string> };

export function initialLang(fromUrl: string | null): Lang {
  if (fromUrl === 'en' || fromUrl === 'zh') return fromUrl;
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    // storage blocked: fall through
  }
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage blocked: the URL still carries it
  }
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

export const LangContext = createContext<Lang>('en');

export function useLang(): Lang {
  return useContext(LangContext);
}

/** `const t = useT(STRINGS); t('title')`: the text in the page's language. */
export function useT<K extends string>(strings: Strings<K>): (key: K) => string {
  const lang = useLang();
  return (key) => strings[lang][key];
}
