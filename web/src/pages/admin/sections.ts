// The administration sections, in tab order. A section is a component of its own built on
// AdminSection; its name is its URL (/admin/<name>) and its words are admin.<name>.tab and
// admin.<name>.title in the translations.
import type { ComponentType } from 'react';
import { Audit } from './Audit.js';
import { CatalogAdmin } from './CatalogAdmin.js';
import { Failures } from './Failures.js';
import { Holidays } from './Holidays.js';
import { Organizations } from './Organizations.js';
import { SignIns } from './SignIns.js';
import { Tenants } from './Tenants.js';
import { Users } from './Users.js';

export interface SectionDef {
  name: string;
  Component: ComponentType;
}

export const SECTIONS: SectionDef[] = [
  { name: 'organizations', Component: Organizations },
  { name: 'users', Component: Users },
  { name: 'tenants', Component: Tenants },
  { name: 'catalog', Component: CatalogAdmin },
  { name: 'holidays', Component: Holidays },
  { name: 'sign-ins', Component: SignIns },
  { name: 'audit', Component: Audit },
  { name: 'failures', Component: Failures },
];
