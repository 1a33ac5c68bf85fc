/**
 * Change Admin Password / Change User Password on the phone: current
 * password, new password, confirmation (spec: "Change the Phone Default
 * Administrator Password"). The forced change of the default admin password
 * skips the first step: the default was just typed.
 */
import { MessageScreen } from '../ui/message-screen';
import { PasswordScreen, type EntrySchedule } from '../ui/password-screen';
import type { Navigator, Screen } from '../ui/screen';
import type { AuthService } from './auth-service';
import type { Role } from './password-vault';
import { shown, t, tLabel } from '../ui/i18n/messages';

export interface ChangeFlowOptions {
  role: Role;
  auth: AuthService;
  /** Timers of the password prompts (echo end, multi-tap pause). */
  schedule: EntrySchedule;
  /** Skip the current-password step (forced change right after the default was entered). */
  forced?: boolean;
  /** After the new password is stored. */
  done?: (nav: Navigator) => void;
}

/** The flow's title: its declared menu label, translated. */
const title = (role: Role): string => (role === 'admin' ? tLabel('menu.', 'Change Admin Password') : tLabel('menu.', 'Change User Password'));

/** First screen of the flow. */
export function changePasswordScreen(o: ChangeFlowOptions): Screen {
  if (o.forced) return newPasswordScreen(o, t('password.forcedNote'));
  return new PasswordScreen(t('password.current'), (password, nav) => {
    const error = o.auth.verifyCurrent(o.role, password);
    if (error) return shown(error);
    nav.replace(newPasswordScreen(o, ''));
    return null;
  }, o.auth.echoDigits(), o.schedule, '', title(o.role));
}

function newPasswordScreen(o: ChangeFlowOptions, note: string): Screen {
  const min = o.auth.minLength(o.role);
  return new PasswordScreen(t('password.newRange', { min }), (next, nav) => {
    nav.replace(new PasswordScreen(t('password.confirm'), (confirm, n) => {
      const error = o.auth.change(o.role, next, confirm);
      if (error) {
        n.replace(newPasswordScreen(o, shown(error)));
        return null;
      }
      n.replace(new MessageScreen(title(o.role), [t('password.changed')], o.done));
      return null;
    }, o.auth.echoDigits(), o.schedule, '', title(o.role)));
    return null;
  }, o.auth.echoDigits(), o.schedule, note, title(o.role));
}
