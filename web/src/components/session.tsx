import { createContext, useContext } from 'react';
import type { Me } from '../api.js';

export interface Session {
  me: Me | null;
  setMe: (me: Me | null) => void;
}
export const SessionContext = createContext<Session>({ me: null, setMe: () => undefined });
export const useSession = () => useContext(SessionContext);
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('signed-in page rendered without a session');
  return me;
}
