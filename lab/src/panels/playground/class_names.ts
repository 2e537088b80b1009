/**
 * What the digit grid and the confusion matrix call each class: MNIST's digits as they are, and
 * Fashion-MNIST's clothes by name (the library's `FASHION_CLASS_NAMES` in English, in Chinese here).
 */
import { FASHION_CLASS_NAMES } from 'descent';
import type { Lang } from '../../i18n/lang';

const FASHION_ZH: readonly string[] = [
  'T恤/上衣',
  '裤子',
  '套头衫',
  '连衣裙',
  '外套',
  '凉鞋',
  '衬衫',
  '运动鞋',
  '包',
  '短靴',
];

/** The class names of `data` in `lang`, or null to show the labels as numbers (digits). */
export function classNamesOf(data: string, lang: Lang): readonly string[] | null {
  if (data !== 'fashion-mnist') return null;
  return lang === 'zh' ? FASHION_ZH : FASHION_CLASS_NAMES;
}
