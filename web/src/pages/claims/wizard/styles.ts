// The wizard's own styles (the shared ones are in components/ui.tsx). On a phone the step
// list turns into one row that scrolls within itself, above the form.
import { makeStyles, tokens, typographyStyles } from '@fluentui/react-components';

const phone = '@media (max-width: 720px)';

export const useWizardStyles = makeStyles({
  layout: {
    display: 'grid',
    gridTemplateColumns: 'minmax(200px, 240px) minmax(0, 1fr)',
    gap: tokens.spacingHorizontalXXL,
    [phone]: { gridTemplateColumns: 'minmax(0, 1fr)', gap: tokens.spacingVerticalM },
  },
  nav: { minWidth: 0 },
  form: { minWidth: 0 },
  steps: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: '2px',
    [phone]: { flexDirection: 'row', overflowX: 'auto', gap: tokens.spacingHorizontalXS },
  },
  step: {
    borderLeft: `3px solid ${tokens.colorNeutralStroke2}`,
    color: tokens.colorNeutralForeground2,
    [phone]: {
      borderLeft: 'none',
      borderBottom: `3px solid ${tokens.colorNeutralStroke2}`,
      flexShrink: 0,
    },
  },
  stepButton: {
    // Holds its visually hidden "(done)": absolute, it would otherwise reach past the scrolling row.
    position: 'relative',
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    width: '100%',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    border: 'none',
    background: 'none',
    color: 'inherit',
    font: 'inherit',
    textAlign: 'start',
    cursor: 'pointer',
    ':disabled': { cursor: 'default' },
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
    [phone]: { padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}` },
  },
  stepMark: {
    display: 'inline-flex',
    alignItems: 'center',
    justifyContent: 'center',
    flexShrink: 0,
    width: '22px',
    height: '22px',
    borderRadius: '50%',
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    fontSize: tokens.fontSizeBase200,
  },
  /** On a phone only the current step says its name; the others show their number or mark. */
  stepName: {},
  stepCurrent: {
    borderLeft: `3px solid ${tokens.colorBrandStroke1}`,
    color: tokens.colorNeutralForeground1,
    fontWeight: tokens.fontWeightSemibold,
    backgroundColor: tokens.colorNeutralBackground1,
    [phone]: { borderLeft: 'none', borderBottom: `3px solid ${tokens.colorBrandStroke1}` },
  },
  stepDone: { color: tokens.colorNeutralForeground1 },
  visuallyHidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
  drop: {
    border: `2px dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
    padding: tokens.spacingVerticalXXL,
    textAlign: 'center',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalM,
  },
  dropActive: {
    border: `2px dashed ${tokens.colorBrandStroke1}`,
    backgroundColor: tokens.colorBrandBackground2,
  },
  product: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalXS} 0`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  /** A subscription product's ID, on its own line under the product. */
  subscription: {
    flexBasis: '100%',
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: tokens.spacingHorizontalM,
    paddingLeft: tokens.spacingHorizontalXXL,
    paddingBottom: tokens.spacingVerticalS,
    [phone]: { paddingLeft: 0 },
  },
  lineError: { flexBasis: '100%' },
  /** A product's badges, at the row's end even when they wrap under its name. */
  badges: { marginLeft: 'auto', display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  docList: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, paddingLeft: 0 },
  docItem: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, listStyleType: 'none' },
  docName: { overflowWrap: 'anywhere', minWidth: 0 },
  reviewPart: {
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    paddingTop: tokens.spacingVerticalS,
  },
  reviewDl: { [phone]: { gridTemplateColumns: 'minmax(0, 1fr)' } },
  reviewRow: { display: 'contents' },
  /** What an activity means, under its radio button. */
  radioHelp: { paddingLeft: '36px', marginTop: '-6px' },
  hidden: { display: 'none' },
  heading: { ...typographyStyles.subtitle1, margin: 0, ':focus': { outline: 'none' } },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    justifyContent: 'flex-end',
  },
  bare: { border: 'none', padding: 0, margin: 0, minWidth: 0 },
});
