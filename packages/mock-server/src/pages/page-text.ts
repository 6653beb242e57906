import type { ExpirationTableEntry } from "@anh-moe/protocol";
import type { Language } from "../upload/language.js";

/**
 * Every text of the upload and viewer pages, per language. French follows anh.moe's French page
 * (`shared/spec/web-page.md`); English is its meaning; Vietnamese is the site's default language. Texts with
 * `{name}` placeholders are filled by {@link fill} (server side) or by the page script (client side).
 */
export interface PageText {
  readonly languageName: string;
  readonly languageSwitch: string;
  readonly footer: string;
  readonly uploadTitle: string;
  readonly uploadHeading: string;
  readonly dropHint: string;
  readonly browseBefore: string;
  readonly browseLink: string;
  readonly browseAfter: string;
  readonly limits: string;
  readonly customise: string;
  readonly startUpload: string;
  readonly or: string;
  readonly cancel: string;
  readonly cancelQueue: string;
  readonly progress: string;
  readonly overallProgress: string;
  readonly fewSeconds: string;
  readonly done: string;
  readonly guestNote: string;
  readonly noneUploaded: string;
  readonly someErrors: string;
  readonly partial: string;
  readonly seeReport: string;
  readonly errorReport: string;
  readonly uploadMore: string;
  readonly statusQueued: string;
  readonly statusUploading: string;
  readonly statusDone: string;
  readonly statusFailed: string;
  readonly statusCancelled: string;
  readonly customiseFile: string;
  readonly fileProgress: string;
  readonly title: string;
  readonly description: string;
  readonly expiration: string;
  readonly noExpiration: string;
  readonly width: string;
  readonly widthHint: string;
  readonly closeForm: string;
  readonly remove: string;
  readonly directLink: string;
  readonly viewerLink: string;
  readonly thumbLink: string;
  readonly shortLink: string;
  readonly mediumLink: string;
  readonly embedCodes: string;
  readonly htmlCode: string;
  readonly htmlThumbCode: string;
  readonly markdownCode: string;
  readonly markdownThumbCode: string;
  readonly bbcodeCode: string;
  readonly bbcodeThumbCode: string;
  readonly copy: string;
  readonly copied: string;
  readonly errorTooLarge: string;
  readonly errorType: string;
  readonly errorNotImage: string;
  readonly errorDuplicate: string;
  readonly errorWidth: string;
  readonly errorFlood: string;
  readonly errorNetwork: string;
  readonly errorGeneric: string;
  readonly serverSaid: string;
  readonly size: string;
  readonly dimensions: string;
  readonly pixels: string;
  readonly type: string;
  readonly duration: string;
  readonly uploaded: string;
  readonly expires: string;
  readonly never: string;
  readonly uploadedBy: string;
  readonly guest: string;
  readonly linksHeading: string;
  readonly downloadVideo: string;
  readonly notFoundTitle: string;
  readonly notFoundHeading: string;
  readonly notFoundText: string;
  readonly homeLink: string;
  /** Unit names for expiration labels: singular and plural. */
  readonly units: Readonly<Record<ExpirationUnit, readonly [string, string]>>;
}

/** The units of the expiration table's durations. */
export type ExpirationUnit = "minutes" | "hours" | "days" | "weeks" | "months" | "years";

const en: PageText = {
  languageName: "English",
  languageSwitch: "Language",
  footer: "An offline imitation of {site} (mock server).",
  uploadTitle: "Upload",
  uploadHeading: "Upload images and videos",
  dropHint: "Drag and drop or paste files here to upload.",
  browseBefore: "You can also",
  browseLink: "browse from your computer",
  browseAfter: ".",
  limits: "{formats} max {size}",
  customise: "Customise the upload by clicking any preview",
  startUpload: "Upload",
  or: "or",
  cancel: "cancel",
  cancelQueue: "cancel the queue",
  progress: "Uploading {n} files ({p}% complete)",
  overallProgress: "Overall progress",
  fewSeconds: "The queue is uploading, only a few seconds left!",
  done: "Upload complete",
  guestNote: "You can create an account or log in to save this content to your account.",
  noneUploaded: "No file was uploaded",
  someErrors: "Some errors occurred and the system could not process your request.",
  partial: "Note: some files could not be uploaded.",
  seeReport: "See the error report for more information.",
  errorReport: "Error report",
  uploadMore: "Upload more files",
  statusQueued: "Ready",
  statusUploading: "Uploading",
  statusDone: "Uploaded",
  statusFailed: "Failed",
  statusCancelled: "Cancelled",
  customiseFile: "Customise {name}",
  fileProgress: "Progress of {name}",
  title: "Title",
  description: "Description",
  expiration: "Auto delete",
  noExpiration: "Don't autodelete",
  width: "Resize to width (pixels)",
  widthHint: "Leave empty to keep the original size.",
  closeForm: "Done",
  remove: "Remove",
  directLink: "Direct link",
  viewerLink: "Viewer link",
  thumbLink: "Thumbnail link",
  shortLink: "Short link",
  mediumLink: "Medium link",
  embedCodes: "Embed codes",
  htmlCode: "HTML",
  htmlThumbCode: "HTML thumbnail",
  markdownCode: "Markdown",
  markdownThumbCode: "Markdown thumbnail",
  bbcodeCode: "BBCode",
  bbcodeThumbCode: "BBCode thumbnail",
  copy: "Copy",
  copied: "Copied",
  errorTooLarge: "This file is too large: {size}. The limit is {max}.",
  errorType: "This type of file is not accepted. Accepted formats: {formats}.",
  errorNotImage: "This file is not an image or a video the site can read.",
  errorDuplicate: "This file has already been uploaded.",
  errorWidth: "The width you asked for is larger than the image's own width.",
  errorFlood: "Too many uploads in a short time: wait a moment and try again.",
  errorNetwork: "The connection to the server was lost.",
  errorGeneric: "The server could not process this file.",
  serverSaid: "Server message: {message} (code {code})",
  size: "Size",
  dimensions: "Dimensions",
  pixels: "pixels",
  type: "Type",
  duration: "Duration",
  uploaded: "Uploaded",
  expires: "Expires",
  never: "Never",
  uploadedBy: "Uploaded by",
  guest: "Guest",
  linksHeading: "Links and embed codes",
  downloadVideo: "Download the video",
  notFoundTitle: "Page not found",
  notFoundHeading: "That page doesn't exist",
  notFoundText: "The requested page was not found. The image may have expired or been deleted.",
  homeLink: "Go to the homepage",
  units: {
    minutes: ["minute", "minutes"],
    hours: ["hour", "hours"],
    days: ["day", "days"],
    weeks: ["week", "weeks"],
    months: ["month", "months"],
    years: ["year", "years"],
  },
};

const fr: PageText = {
  languageName: "Français",
  languageSwitch: "Langue",
  footer: "Une imitation hors ligne de {site} (serveur factice).",
  uploadTitle: "Importer",
  uploadHeading: "Importer des images et des vidéos",
  dropHint: "Glissez-déposez ou collez des fichiers ici pour les importer.",
  browseBefore: "Vous pouvez également",
  browseLink: "parcourir depuis votre ordinateur",
  browseAfter: ".",
  limits: "{formats} max {size}",
  customise: "Personnalisez le téléchargement en cliquant sur n'importe quel aperçu",
  startUpload: "Importer",
  or: "ou",
  cancel: "annuler",
  cancelQueue: "annuler la file",
  progress: "Importation {n} fichiers ({p}% complété)",
  overallProgress: "Progression globale",
  fewSeconds: "La liste est en cours d'importation, il ne reste que quelques secondes !",
  done: "Envoi terminé",
  guestNote: "Vous pouvez créer un compte ou se connecter pour sauvegarder ce contenu dans votre compte.",
  noneUploaded: "Aucun fichier n'a été mis en ligne",
  someErrors: "Certaines erreurs se sont produites et le système n'a pas pu traiter votre demande.",
  partial: "Remarque : Certains fichiers n'ont pas pu être téléchargés.",
  seeReport: "Regardez le rapport d'erreur pour plus d'informations.",
  errorReport: "Rapport d'erreur",
  uploadMore: "Importer d'autres fichiers",
  statusQueued: "Prêt",
  statusUploading: "Importation",
  statusDone: "Importé",
  statusFailed: "Échec",
  statusCancelled: "Annulé",
  customiseFile: "Personnaliser {name}",
  fileProgress: "Progression de {name}",
  title: "Titre",
  description: "Description",
  expiration: "Suppression automatique",
  noExpiration: "Ne pas supprimer automatiquement",
  width: "Redimensionner à la largeur (pixels)",
  widthHint: "Laissez vide pour garder la taille d'origine.",
  closeForm: "OK",
  remove: "Retirer",
  directLink: "Lien direct",
  viewerLink: "Lien de la page",
  thumbLink: "Lien de la miniature",
  shortLink: "Lien court",
  mediumLink: "Lien taille moyenne",
  embedCodes: "Codes d'intégration",
  htmlCode: "HTML",
  htmlThumbCode: "HTML miniature",
  markdownCode: "Markdown",
  markdownThumbCode: "Markdown miniature",
  bbcodeCode: "BBCode",
  bbcodeThumbCode: "BBCode miniature",
  copy: "Copier",
  copied: "Copié",
  errorTooLarge: "Ce fichier est trop volumineux : {size}. La limite est de {max}.",
  errorType: "Ce type de fichier n'est pas accepté. Formats acceptés : {formats}.",
  errorNotImage: "Ce fichier n'est pas une image ou une vidéo que le site peut lire.",
  errorDuplicate: "Ce fichier a déjà été importé.",
  errorWidth: "La largeur demandée est plus grande que celle de l'image.",
  errorFlood: "Trop d'importations en peu de temps : patientez un moment puis réessayez.",
  errorNetwork: "La connexion au serveur a été perdue.",
  errorGeneric: "Le serveur n'a pas pu traiter ce fichier.",
  serverSaid: "Message du serveur : {message} (code {code})",
  size: "Taille",
  dimensions: "Dimensions",
  pixels: "pixels",
  type: "Type",
  duration: "Durée",
  uploaded: "Mis en ligne",
  expires: "Expire",
  never: "Jamais",
  uploadedBy: "Mis en ligne par",
  guest: "Invité",
  linksHeading: "Liens et codes d'intégration",
  downloadVideo: "Télécharger la vidéo",
  notFoundTitle: "Page introuvable",
  notFoundHeading: "Cette page n'existe pas",
  notFoundText: "La page demandée est introuvable. L'image a peut-être expiré ou été supprimée.",
  homeLink: "Aller à l'accueil",
  units: {
    minutes: ["minute", "minutes"],
    hours: ["heure", "heures"],
    days: ["jour", "jours"],
    weeks: ["semaine", "semaines"],
    months: ["mois", "mois"],
    years: ["an", "ans"],
  },
};

const vi: PageText = {
  languageName: "Tiếng Việt",
  languageSwitch: "Ngôn ngữ",
  footer: "Bản mô phỏng ngoại tuyến của {site} (máy chủ giả lập).",
  uploadTitle: "Tải lên",
  uploadHeading: "Tải ảnh và video lên",
  dropHint: "Kéo thả hoặc dán tệp vào đây để tải lên.",
  browseBefore: "Bạn cũng có thể",
  browseLink: "chọn tệp từ máy tính",
  browseAfter: ".",
  limits: "{formats} tối đa {size}",
  customise: "Nhấn vào ảnh xem trước bất kỳ để tùy chỉnh tệp tải lên",
  startUpload: "Tải lên",
  or: "hoặc",
  cancel: "hủy",
  cancelQueue: "hủy hàng đợi",
  progress: "Đang tải lên {n} tệp (hoàn tất {p}%)",
  overallProgress: "Tiến độ chung",
  fewSeconds: "Hàng đợi đang được tải lên, chỉ còn vài giây nữa thôi!",
  done: "Tải lên hoàn tất",
  guestNote: "Bạn có thể tạo tài khoản hoặc đăng nhập để lưu nội dung này vào tài khoản của mình.",
  noneUploaded: "Không có tệp nào được tải lên",
  someErrors: "Đã xảy ra một số lỗi và hệ thống không thể xử lý yêu cầu của bạn.",
  partial: "Lưu ý: Một số tệp không thể tải lên.",
  seeReport: "Xem báo cáo lỗi để biết thêm thông tin.",
  errorReport: "Báo cáo lỗi",
  uploadMore: "Tải thêm tệp",
  statusQueued: "Sẵn sàng",
  statusUploading: "Đang tải lên",
  statusDone: "Đã tải lên",
  statusFailed: "Thất bại",
  statusCancelled: "Đã hủy",
  customiseFile: "Tùy chỉnh {name}",
  fileProgress: "Tiến độ của {name}",
  title: "Tiêu đề",
  description: "Mô tả",
  expiration: "Tự động xóa",
  noExpiration: "Không tự động xóa",
  width: "Thu nhỏ theo chiều rộng (pixel)",
  widthHint: "Để trống để giữ nguyên kích thước gốc.",
  closeForm: "Xong",
  remove: "Bỏ",
  directLink: "Liên kết trực tiếp",
  viewerLink: "Liên kết trang xem",
  thumbLink: "Liên kết ảnh thu nhỏ",
  shortLink: "Liên kết rút gọn",
  mediumLink: "Liên kết cỡ vừa",
  embedCodes: "Mã nhúng",
  htmlCode: "HTML",
  htmlThumbCode: "HTML ảnh thu nhỏ",
  markdownCode: "Markdown",
  markdownThumbCode: "Markdown ảnh thu nhỏ",
  bbcodeCode: "BBCode",
  bbcodeThumbCode: "BBCode ảnh thu nhỏ",
  copy: "Sao chép",
  copied: "Đã sao chép",
  errorTooLarge: "Tệp này quá lớn: {size}. Giới hạn là {max}.",
  errorType: "Loại tệp này không được chấp nhận. Các định dạng được chấp nhận: {formats}.",
  errorNotImage: "Tệp này không phải là ảnh hay video mà trang có thể đọc được.",
  errorDuplicate: "Tệp này đã được tải lên trước đó.",
  errorWidth: "Chiều rộng bạn chọn lớn hơn chiều rộng gốc của ảnh.",
  errorFlood: "Bạn tải lên quá nhiều trong thời gian ngắn: hãy đợi một lát rồi thử lại.",
  errorNetwork: "Mất kết nối tới máy chủ.",
  errorGeneric: "Máy chủ không thể xử lý tệp này.",
  serverSaid: "Thông báo của máy chủ: {message} (mã {code})",
  size: "Dung lượng",
  dimensions: "Kích thước",
  pixels: "pixel",
  type: "Loại",
  duration: "Thời lượng",
  uploaded: "Tải lên lúc",
  expires: "Hết hạn",
  never: "Không bao giờ",
  uploadedBy: "Người tải lên",
  guest: "Khách",
  linksHeading: "Liên kết và mã nhúng",
  downloadVideo: "Tải video về",
  notFoundTitle: "Không tìm thấy trang",
  notFoundHeading: "Trang này không tồn tại",
  notFoundText: "Không tìm thấy trang bạn yêu cầu. Ảnh có thể đã hết hạn hoặc đã bị xóa.",
  homeLink: "Về trang chủ",
  units: {
    minutes: ["phút", "phút"],
    hours: ["giờ", "giờ"],
    days: ["ngày", "ngày"],
    weeks: ["tuần", "tuần"],
    months: ["tháng", "tháng"],
    years: ["năm", "năm"],
  },
};

/** The page texts per language. */
export const PAGE_TEXT: Readonly<Record<Language, PageText>> = { en, fr, vi };

/** The languages of the switch, in the order it shows them. */
export const PAGE_LANGUAGES: readonly Language[] = ["vi", "en", "fr"];

/**
 * Replaces `{name}` placeholders; unknown placeholders stay as written.
 *
 * @example
 * fill("Uploading {n} files", { n: 3 }); // "Uploading 3 files"
 */
export function fill(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}

/**
 * The label of an expiration table row in a language, built from its duration (the table's own labels are
 * English).
 *
 * @example
 * expirationLabel(EXPIRATION_TABLE[13], "fr"); // "1 semaine"
 */
export function expirationLabel(entry: ExpirationTableEntry, language: Language): string {
  const units: readonly ExpirationUnit[] = ["years", "months", "weeks", "days", "hours", "minutes"];
  const unit = units.find((name) => entry.duration[name] > 0);
  if (unit === undefined) return entry.label;
  const count = entry.duration[unit];
  const [one, many] = PAGE_TEXT[language].units[unit];
  return `${count} ${count === 1 ? one : many}`;
}
