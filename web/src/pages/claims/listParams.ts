// Issue 13 point 9: a list's filters live in its URL, so that Back, a reload or a shared link
// keep them. Each change replaces the entry (no history step per keystroke).
import { useEffect, useState } from 'react';
import { navigate, useLocation } from '../../components/router.js';

export function useListParams(path: string) {
  const { search } = useLocation();
  const get = (k: string) => search.get(k) ?? '';
  const set = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    const q = next.toString();
    navigate(q ? `${path}?${q}` : path, true);
  };
  /** Whether any of these filters is set (an empty list then offers to clear them). */
  const any = (keys: readonly string[]) => keys.some((k) => get(k));
  return { get, set, any, key: search.toString() };
}

export type ListParams = ReturnType<typeof useListParams>;

/** Search as you type: the box's own text, sent on after a pause; Back brings the URL's back. */
export function useDebouncedSearch(value: string, send: (v: string) => void, ms = 300) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const id = setTimeout(() => send(text.trim() === '' ? '' : text), ms);
    return () => clearTimeout(id);
    // `send` is a new function each render; the text and the URL's value decide.
  }, [text, value]);
  return [text, setText] as const;
}
