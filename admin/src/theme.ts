import type { ThemeConfig } from 'antd';

/**
 * A government blue, and text colours dark enough for WCAG 2.1 AA contrast (antd's defaults
 * for secondary text and the primary blue fall below 4.5:1 on white).
 */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1456c8',
    colorLink: '#1456c8',
    colorTextSecondary: '#595959',
    colorTextTertiary: '#636363',
    colorTextDescription: '#595959',
    colorTextPlaceholder: '#707070',
    colorTextDisabled: '#6b6b6b',
    colorError: '#c4161c',
    colorSuccess: '#237804',
    colorWarning: '#ad4e00',
    fontFamily: '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif',
    borderRadius: 4,
  },
  components: {
    Layout: { headerBg: '#0d3f94', siderBg: '#ffffff', headerHeight: 56, headerPadding: '0 20px' },
  },
};

/** Solid status colours with white text (each ≥ 4.5:1). */
export const STATUS_COLORS: Record<string, string> = {
  draft: '#595959',
  returned: '#c4161c',
  submitted: '#1456c8',
  approved: '#0b6e6e',
  published: '#237804',
  withdrawn: '#ad4e00',
  expired: '#595959',
  pending: '#1456c8',
};
