// Screens of the account group (placeholder until written).
import { route } from '../router.js';
