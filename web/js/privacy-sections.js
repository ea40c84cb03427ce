// The sections of the transparency page, in the order it shows them
// (privacy_notice's columns, docs/rgpd-access.md). Shared by the public
// page (js/informations.js) and its editor.

export const SECTIONS = [
  { key: 'controller', title: 'Responsable du traitement', hint: 'Qui décide de ce traitement et en répond.' },
  { key: 'dpo_contact', title: 'Délégué à la protection des données', hint: 'Comment joindre le DPD de l’académie.' },
  { key: 'purposes', title: 'Finalités', hint: 'À quoi servent les données.' },
  { key: 'legal_basis', title: 'Base légale', hint: 'Ce qui autorise le traitement.' },
  { key: 'recipients', title: 'Destinataires', hint: 'Qui lit quelles données.' },
  { key: 'retention', title: 'Durées de conservation', hint: 'Combien de temps chaque donnée est gardée.' },
  { key: 'rights', title: 'Vos droits et comment les exercer', hint: 'Accès, copie, rectification, limitation, opposition.' },
  { key: 'complaint', title: 'Réclamation auprès de la CNIL', hint: 'Le droit d’introduire une réclamation.' },
];
